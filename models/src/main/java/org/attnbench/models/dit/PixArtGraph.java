package org.attnbench.models.dit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.attention.BlockRewrite;
import org.attnbench.models.attention.Dense;
import org.attnbench.models.attention.SelfAttention;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetPatch;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' {@code PixArtTransformer2DModel} (PixArt-α and Σ) as one graph, with an attention
 * method patched into the self-attention of the blocks it covers. Inputs and output are named as
 * the UNet's ({@link UNetGraph#SAMPLE}, {@link UNetGraph#TIMESTEP},
 * {@link UNetGraph#ENCODER_HIDDEN_STATES} to {@link UNetGraph#OUT_SAMPLE}), so a denoising loop
 * drives either.
 *
 * <pre>
 *   tokens  = conv_p(latents) flattened row-major + 2-D sin-cos positions      [B, N, D]
 *   temb    = MLP(sinusoid_256(t)) ;  t6 = Linear(SiLU(temb)) as 6 rows of D
 *   context = Linear(GELU_tanh(Linear(caption)))                               [B, L, D]
 *   block:  shift, scale, gate (msa, mlp) = table + t6
 *           x += gate_msa * attn1(LN(x) (1 + scale_msa) + shift_msa)          the method's rewrite
 *           x += attn2(x, context)                                            no norm, no gate
 *           x += gate_mlp * FF(LN(x) (1 + scale_mlp) + shift_mlp)             GELU_tanh, 4D
 *   out     = unpatchify(proj_out(LN(x) (1 + scale) + shift)),  shift, scale = table_out + temb
 * </pre>
 *
 * Every LayerNorm is without affine, eps from the config. The method sees the image tokens on the
 * patch grid (height/8/p x width/8/p): ToDo downsamples the keys' and values' tokens there, ToMe
 * merges there; the text tokens of the cross-attention are never touched. The text mask is not
 * modelled: every caption token attends (a pipeline masks the padding of a short prompt).
 */
public final class PixArtGraph {
    private static final int TIMESTEP_CHANNELS = 256;
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final PixArtConfig c;
    private final UNetPatch patch;
    private final BlockRange blocks;

    private PixArtGraph(PixArtConfig config, UNetPatch patch, BlockRange blocks, WeightSource source) {
        this.c = config;
        this.patch = patch;
        this.blocks = blocks;
        this.g = new GraphBuilder("pixart_" + config.name().replaceAll("[^A-Za-z0-9]", "_"));
        this.weights = new UNetWeights(g, source);
    }

    /**
     * The patched model for images of {@code size}, {@code textTokens} caption tokens, the method
     * on the blocks in {@code blocks}. Missing or misshapen weights are a UserError.
     */
    public static OnnxModel build(PixArtConfig config, ImageSize size, int batch, int textTokens, UNetPatch patch,
            BlockRange blocks, WeightSource source) {
        if (batch < 1) throw new UserError("batch " + batch + " must be at least 1");
        int[] latent = latentSize(config, size);
        blocks.check(config.layers());
        int gh = latent[0] / config.patchSize(), gw = latent[1] / config.patchSize();
        if (!patch.spec().fits(gh, gw, false)) {
            throw new UserError("variant " + patch.spec().canonical() + " does not fit the " + gh + "x" + gw + " patch grid of "
                    + config.name() + " at " + size + " px: use a smaller factor or a larger image");
        }
        PixArtGraph m = new PixArtGraph(config, patch, blocks, source);
        m.define(latent[0], latent[1], batch, textTokens);
        String warning = m.weights.finish();
        if (warning != null) System.err.println(warning);
        return m.g.build(false);
    }

    /** Every weight the config needs, name to shape, in diffusers' names (no weights are made). */
    public static Map<String, long[]> expectedWeights(PixArtConfig config) {
        PixArtGraph m = new PixArtGraph(config, UNetPatch.of(new Dense(VariantSpec.Kernel.MATMUL)), BlockRange.ALL, null);
        m.define(config.patchSize(), config.patchSize(), 1, 1); // one patch: the weights do not depend on the size
        return new LinkedHashMap<>(m.weights.expected());
    }

    /** The latent grid {height, width}, or a UserError naming the multiple the patch size needs. */
    public static int[] latentSize(PixArtConfig config, ImageSize size) {
        int multiple = UNetGraph.VAE_FACTOR * config.patchSize();
        if (size.height() % multiple != 0 || size.width() % multiple != 0) {
            throw new UserError("image size " + size + " px does not fit " + config.name() + ": use sides that are "
                    + "multiples of " + multiple + " px (8 px a latent, " + config.patchSize() + " latents a patch)");
        }
        return new int[] {size.height() / UNetGraph.VAE_FACTOR, size.width() / UNetGraph.VAE_FACTOR};
    }

    private void define(int h, int w, int batch, int textTokens) {
        int p = c.patchSize();
        int gh = h / p;
        int gw = w / p;
        long d = c.dim();
        Value latents = g.input(UNetGraph.SAMPLE, DType.FLOAT32, batch, c.inChannels(), h, w);
        Value timestep = g.input(UNetGraph.TIMESTEP, DType.FLOAT32, batch);
        Value caption = g.input(UNetGraph.ENCODER_HIDDEN_STATES, DType.FLOAT32, batch, textTokens, c.captionChannels());

        Value x;
        try (var s = g.scope("pos_embed")) {
            Value patches = g.conv(latents, weights.get("pos_embed.proj.weight", d, c.inChannels(), p, p),
                    weights.get("pos_embed.proj.bias", d), new long[] {p, p}, null, null, 1);
            x = g.transpose(g.reshape(patches, batch, d, (long) gh * gw), 0, 2, 1);
            x = g.add(x, g.constant(HostTensor.of(positions(c, gh, gw), 1, (long) gh * gw, d)));
        }
        Value temb;
        try (var s = g.scope("adaln_single")) {
            Value proj;
            try (var t = g.scope("time_proj")) { // a float16 conversion keeps sinusoids in float32
                proj = sinusoid(timestep);
            }
            String mlp = "adaln_single.emb.timestep_embedder";
            temb = linear(silu(linear(proj, mlp + ".linear_1", TIMESTEP_CHANNELS, d)), mlp + ".linear_2", d, d);
        }
        Value t6 = g.reshape(linear(silu(temb), "adaln_single.linear", d, 6 * d), batch, 6, d);
        Value context;
        try (var s = g.scope("caption_projection")) {
            context = linear(geluTanh(linear(caption, "caption_projection.linear_1", c.captionChannels(), d)),
                    "caption_projection.linear_2", d, d);
        }
        for (int i = 0; i < c.layers(); i++) {
            try (var s = g.scope("transformer_blocks." + i)) {
                x = block(x, context, t6, "transformer_blocks." + i, blocks.contains(i), gh, gw);
            }
        }
        try (var s = g.scope("proj_out")) {
            Value table = g.add(g.unsqueeze(weights.get("scale_shift_table", 2, d), 0), g.unsqueeze(temb, 1));
            List<Value> shiftScale = g.split(table, 1, 1, 1);
            Value z = modulate(norm(x), shiftScale.get(0), shiftScale.get(1));
            z = linear(z, "proj_out", d, (long) p * p * c.outChannels());
            z = g.transpose(g.reshape(z, batch, gh, gw, p, p, c.outChannels()), 0, 5, 1, 3, 2, 4);
            g.output(UNetGraph.OUT_SAMPLE, g.reshape(z, batch, c.outChannels(), h, w));
        }
    }

    private Value block(Value x, Value context, Value t6, String prefix, boolean patched, int gh, int gw) {
        long d = c.dim();
        VariantSpec.Kernel kernel = patch.kernel();
        VariantSpec method = patched ? patch.atBlock(1) : new Dense(kernel);
        BlockRewrite rewrite = method.rewrite(g, x, gh, gw);
        Value table = g.add(g.unsqueeze(weights.get(prefix + ".scale_shift_table", 6, d), 0), t6);
        List<Value> m = g.split(table, 1, 1, 1, 1, 1, 1, 1); // shift, scale, gate: msa then mlp; each [B, 1, D]
        SelfAttention attn1 = new SelfAttention(g, prefix + ".attn1", name -> attentionWeight(name), true);
        SelfAttention attn2 = new SelfAttention(g, prefix + ".attn2", name -> attentionWeight(name), true);

        Value a1;
        try (var s = g.scope("attn1")) {
            a1 = rewrite.selfAttention(attn1, modulate(norm(x), m.get(0), m.get(1)), c.heads());
        }
        x = g.add(x, g.mul(m.get(2), a1));
        Value a2;
        try (var s = g.scope("attn2")) {
            a2 = rewrite.crossAttention(x, q -> attn2.attention(q, context, c.heads(), kernel));
        }
        x = g.add(x, a2);
        Value f;
        try (var s = g.scope("ff")) {
            f = rewrite.feedForward(modulate(norm(x), m.get(3), m.get(4)), n -> feedForward(n, prefix + ".ff"));
        }
        return g.add(x, g.mul(m.get(5), f));
    }

    /** Every attention weight is [D, D] (captions are projected to D first), biases [D]. */
    private Value attentionWeight(String name) {
        return name.endsWith(".bias") ? weights.get(name, c.dim()) : weights.get(name, c.dim(), c.dim());
    }

    private Value feedForward(Value x, String prefix) {
        Value hidden = geluTanh(linear(x, prefix + ".net.0.proj", c.dim(), c.ffDim()));
        return linear(hidden, prefix + ".net.2", c.ffDim(), c.dim());
    }

    /** x (1 + scale) + shift, the modulation of adaLN. */
    private Value modulate(Value x, Value shift, Value scale) {
        return g.add(g.mul(x, g.add(scale, g.constScalar(1f))), shift);
    }

    /** LayerNorm over the width without affine. */
    private Value norm(Value x) {
        float[] ones = new float[c.dim()];
        Arrays.fill(ones, 1f);
        return g.layerNorm(x, g.constant(HostTensor.of(ones, c.dim())), null, -1, (float) c.normEps());
    }

    private Value linear(Value x, String prefix, long in, long out) {
        return g.linear(x, weights.get(prefix + ".weight", out, in), weights.get(prefix + ".bias", out));
    }

    private Value silu(Value x) {
        return g.mul(x, g.op("Sigmoid", x));
    }

    /** GELU, tanh approximation: 0.5 v (1 + tanh(sqrt(2/pi) (v + 0.044715 v^3))). */
    private Value geluTanh(Value v) {
        Value cube = g.mul(g.mul(v, v), v);
        Value inner = g.mul(g.add(v, g.mul(cube, g.constScalar(0.044715f))), g.constScalar((float) Math.sqrt(2 / Math.PI)));
        return g.mul(g.mul(v, g.constScalar(0.5f)), g.add(g.op("Tanh", inner), g.constScalar(1f)));
    }

    /** t [B] -> [B, 256]: cos then sin of t exp(-ln(10000) k / 128), k = 0..127 (flip_sin_to_cos, shift 0). */
    private Value sinusoid(Value t) {
        int half = TIMESTEP_CHANNELS / 2;
        float[] freqs = new float[half];
        for (int k = 0; k < half; k++) freqs[k] = (float) Math.exp(-Math.log(10000) * k / half);
        Value args = g.mul(g.unsqueeze(t, 1), g.constant(HostTensor.of(freqs, 1, half)));
        return g.concat(1, g.op("Cos", args), g.op("Sin", args));
    }

    /**
     * The 2-D sin-cos positions of a gh x gw patch grid, [gh * gw * D] row-major: the first half of
     * the channels encodes the column, the second the row, each as sin then cos of coordinate x
     * frequency 10000^(-k / (D/4)); a coordinate is index / (grid / base) / interpolation_scale with
     * base = sample_size / patch, so a grid larger than the model's default spans more of the range.
     */
    static float[] positions(PixArtConfig c, int gh, int gw) {
        int d = c.dim();
        int quarter = d / 4;
        double base = (double) c.sampleSize() / c.patchSize();
        float[] out = new float[gh * gw * d];
        for (int r = 0; r < gh; r++) {
            for (int col = 0; col < gw; col++) {
                double x = col / (gw / base) / c.interpolationScale();
                double y = r / (gh / base) / c.interpolationScale();
                int at = (r * gw + col) * d;
                for (int k = 0; k < quarter; k++) {
                    double omega = 1 / Math.pow(10000, (double) k / quarter);
                    out[at + k] = (float) Math.sin(x * omega);
                    out[at + quarter + k] = (float) Math.cos(x * omega);
                    out[at + 2 * quarter + k] = (float) Math.sin(y * omega);
                    out[at + 3 * quarter + k] = (float) Math.cos(y * omega);
                }
            }
        }
        return out;
    }
}
