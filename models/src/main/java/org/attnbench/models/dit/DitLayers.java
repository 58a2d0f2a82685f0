package org.attnbench.models.dit;

import java.util.Arrays;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/** The small layers every DiT here shares, as graph fragments. */
final class DitLayers {
    static final int TIMESTEP_CHANNELS = 256;

    private DitLayers() {}

    static Value silu(GraphBuilder g, Value x) {
        return g.mul(x, g.op("Sigmoid", x));
    }

    /** GELU, tanh approximation: 0.5 v (1 + tanh(sqrt(2/pi) (v + 0.044715 v^3))). */
    static Value geluTanh(GraphBuilder g, Value v) {
        Value cube = g.mul(g.mul(v, v), v);
        Value inner = g.mul(g.add(v, g.mul(cube, g.constScalar(0.044715f))), g.constScalar((float) Math.sqrt(2 / Math.PI)));
        return g.mul(g.mul(v, g.constScalar(0.5f)), g.add(g.op("Tanh", inner), g.constScalar(1f)));
    }

    /** x (1 + scale) + shift, the modulation of adaLN. */
    static Value modulate(GraphBuilder g, Value x, Value shift, Value scale) {
        return g.add(g.mul(x, g.add(scale, g.constScalar(1f))), shift);
    }

    /** LayerNorm over the last axis of width {@code dim}, without affine. */
    static Value norm(GraphBuilder g, Value x, int dim, double eps) {
        float[] ones = new float[dim];
        Arrays.fill(ones, 1f);
        return g.layerNorm(x, g.constant(HostTensor.of(ones, dim)), null, -1, (float) eps);
    }

    /** t [B] -> [B, 256]: cos then sin of t exp(-ln(10000) k / 128), k = 0..127 (flip_sin_to_cos, shift 0). */
    static Value sinusoid(GraphBuilder g, Value t) {
        int half = TIMESTEP_CHANNELS / 2;
        float[] freqs = new float[half];
        for (int k = 0; k < half; k++) freqs[k] = (float) Math.exp(-Math.log(10000) * k / half);
        Value args = g.mul(g.unsqueeze(t, 1), g.constant(HostTensor.of(freqs, 1, half)));
        return g.concat(1, g.op("Cos", args), g.op("Sin", args));
    }

    /** [B, gh * gw, p * p * C] patches back to [B, C, gh * p, gw * p]. */
    static Value unpatchify(GraphBuilder g, Value z, int batch, int gh, int gw, int p, int channels) {
        z = g.transpose(g.reshape(z, batch, gh, gw, p, p, channels), 0, 5, 1, 3, 2, 4);
        return g.reshape(z, batch, channels, (long) gh * p, (long) gw * p);
    }
}
