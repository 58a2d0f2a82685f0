package org.attnbench.models.unet;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/**
 * The conditioning vector every resnet adds: the timestep's sinusoidal embedding through
 * {@code time_embedding} (linear_1, SiLU, linear_2 to 4 x C0), plus for SDXL ({@code text_time})
 * the sinusoidal embeddings of the six {@code time_ids} (original size, crop, target size)
 * concatenated after the pooled {@code text_embeds} and mapped by {@code add_embedding}. Both
 * sinusoidal embeddings take the config's {@code flip_sin_to_cos} and {@code freq_shift}, as
 * diffusers builds {@code time_proj} and {@code add_time_proj} alike.
 */
final class TimeEmbedding {
    private static final double MAX_PERIOD = 10000;
    private final Layers nn;
    private final UNetConfig config;

    TimeEmbedding(Layers nn, UNetConfig config) {
        this.nn = nn;
        this.config = config;
    }

    /** timestep [B] (and for SDXL text_embeds [B,T], time_ids [B,6]) -> emb [B, 4 C0]. */
    Value apply(Value timestep, Value textEmbeds, Value timeIds) {
        GraphBuilder g = nn.g;
        int c0 = config.blockOutChannels()[0];
        Value proj;
        // Scoped by diffusers' names: a float16 conversion keeps these sinusoids in float32.
        try (var s = g.scope("time_proj")) {
            proj = sinusoidal(timestep, c0, config.flipSinToCos(), config.freqShift());
        }
        Value emb = mlp(proj, "time_embedding");
        if (!config.addTextTime()) return emb;
        long b = timeIds.dim(0);
        long ids = timeIds.dim(1);
        // diffusers builds add_time_proj from the same flip_sin_to_cos and freq_shift as time_proj.
        Value idsEmb;
        try (var s = g.scope("add_time_proj")) {
            idsEmb = sinusoidal(g.reshape(timeIds, b * ids), config.additionTimeEmbedDim(), config.flipSinToCos(),
                    config.freqShift());
        }
        Value added = g.concat(1, textEmbeds, g.reshape(idsEmb, b, ids * config.additionTimeEmbedDim()));
        return g.add(emb, mlp(added, "add_embedding"));
    }

    /** diffusers' TimestepEmbedding: linear_1 to 4 x C0, SiLU, linear_2. */
    private Value mlp(Value x, String prefix) {
        long out = config.timeEmbedDim();
        Value h = nn.silu(nn.linear(x, prefix + ".linear_1", x.dim(1), out, true));
        return nn.linear(h, prefix + ".linear_2", out, out, true);
    }

    /**
     * diffusers' get_timestep_embedding: t [N] -> [N, dim], frequencies exp(-ln(max_period) i /
     * (dim/2 - shift)), sin then cos (cos then sin when flipped).
     */
    private Value sinusoidal(Value t, int dim, boolean flip, double shift) {
        GraphBuilder g = nn.g;
        int half = dim / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) freqs[i] = (float) Math.exp(-Math.log(MAX_PERIOD) * i / (half - shift));
        Value args = g.mul(g.unsqueeze(t, 1), g.constant(HostTensor.of(freqs, 1, half)));
        Value sin = g.op("Sin", args);
        Value cos = g.op("Cos", args);
        return flip ? g.concat(1, cos, sin) : g.concat(1, sin, cos);
    }
}
