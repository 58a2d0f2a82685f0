package org.attnbench.models.dit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.BlockRewrite;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.KeyPaddingMask;
import org.attnbench.models.attention.SelfAttention;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.GraphForm;
import org.attnbench.models.diffusion.GraphForm.FirstBlock;
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.models.diffusion.ModuleCut;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' {@code PixArtTransformer2DModel} (PixArt-α and Σ) as one graph, with an attention
 * method patched into the self-attention of the blocks it covers. Inputs and output are named as
 * the UNet's ({@link DenoiserIO#SAMPLE}, {@link DenoiserIO#TIMESTEP},
 * {@link DenoiserIO#ENCODER_HIDDEN_STATES} to {@link DenoiserIO#OUT_SAMPLE}), so a denoising loop
 * drives either; the caption mask is {@link DenoiserIO#ENCODER_ATTENTION_MASK}.
 *
 * <pre>
 *   tokens  = conv_p(latents) flattened row-major + 2-D sin-cos positions      [B, N, D]
 *   temb    = MLP(sinusoid_256(t)) [+ (MLP_res(sinusoid_256(H)), MLP_res(sinusoid_256(W)),
 *             MLP_ar(sinusoid_256(H / W)))]  with use_additional_conditions (PixArt-α 1024)
 *   t6      = Linear(SiLU(temb)) as 6 rows of D
 *   context = Linear(GELU_tanh(Linear(caption)))                               [B, L, D]
 *   block:  shift, scale, gate (msa, mlp) = table + t6
 *           x += gate_msa * attn1(LN(x) (1 + scale_msa) + shift_msa)          the method's rewrite
 *           x += attn2(x, context, (1 - mask) * -10000 on the scores)        no norm, no gate
 *           x += gate_mlp * FF(LN(x) (1 + scale_mlp) + shift_mlp)             GELU_tanh, 4D
 *   out     = unpatchify(proj_out(LN(x) (1 + scale) + shift)),  shift, scale = table_out + temb
 * </pre>
 *
 * Every LayerNorm is without affine, eps from the config. The method sees the image tokens on the
 * patch grid (height/8/p x width/8/p): ToDo downsamples the keys' and values' tokens there, ToMe
 * merges there; the text tokens of the cross-attention are never touched. The caption mask hides
 * a short prompt's padding from the cross-attention as diffusers does (an additive bias). The size
 * conditions are the image's height and width in pixels and their ratio, as the pipeline passes
 * them; the graph is built per size, so they are constants of it.
 *
 * <p>Besides the whole model it offers first-block caching's split ({@link FirstBlock}): the head
 * hands the tail the hidden state, the timestep embedding, the six modulations and the projected
 * caption. And it carries its blocks' attn1 and attn2 outputs across steps ({@link ModuleOutputs}).
 */
public final class PixArtGraph {
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final PixArtConfig c;
    private final TokenPatch patch;
    private final BlockRange blocks;
    private final ModuleCut cut;

    private PixArtGraph(PixArtConfig config, TokenPatch patch, BlockRange blocks, GraphForm form, WeightSource source) {
        this.c = config;
        this.patch = patch;
        this.blocks = blocks;
        this.g = new GraphBuilder("pixart_" + config.name().replaceAll("[^A-Za-z0-9]", "_"));
        this.weights = new UNetWeights(g, source);
        this.cut = new ModuleCut(g, form);
    }

    /**
     * The patched model for images of {@code size}, {@code textTokens} caption tokens, the method
     * on the blocks in {@code blocks}. Missing or misshapen weights are a UserError.
     */
    public static OnnxModel build(PixArtConfig config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            BlockRange blocks, WeightSource source) {
        return build(config, size, batch, textTokens, patch, blocks, GraphForm.WHOLE, source);
    }

    /**
     * As above, in one of the forms PixArt offers: the whole model, a side of its split after the
     * first block, or the whole model with attention outputs carried across steps.
     */
    public static OnnxModel build(PixArtConfig config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            BlockRange blocks, GraphForm form, WeightSource source) {
        if (form != GraphForm.WHOLE && !(form instanceof FirstBlock) && !(form instanceof ModuleOutputs)) {
            throw new UserError(config.name() + " offers its whole model, its split after the first block and its attention"
                    + " outputs, not " + form.describe());
        }
        if (batch < 1) throw new UserError("batch " + batch + " must be at least 1");
        int[] latent = latentSize(config, size);
        blocks.check(config.layers());
        int gh = latent[0] / config.patchSize(), gw = latent[1] / config.patchSize();
        PatchGrid.checkFits(patch, gh, gw, config.name(), size);
        PixArtGraph m = new PixArtGraph(config, patch, blocks, form, source);
        if (textTokens < 1) throw new UserError("prompt states need at least one token, got " + textTokens);
        m.define(latent[0], latent[1], batch, textTokens, form instanceof FirstBlock f ? f.part() : null);
        m.cut.checkAll(config.name());
        if (form instanceof ModuleOutputs) m.g.prune();
        return form == GraphForm.WHOLE ? m.weights.model() : m.weights.part();
    }

    /** Every weight the config needs, name to shape, in diffusers' names (no weights are made). */
    public static Map<String, long[]> expectedWeights(PixArtConfig config) {
        PixArtGraph m = new PixArtGraph(config, TokenPatch.unpatched(Kernel.MATMUL), BlockRange.ALL, GraphForm.WHOLE, null);
        m.define(config.patchSize(), config.patchSize(), 1, 1, null); // one patch: the weights do not depend on the size
        return new LinkedHashMap<>(m.weights.expected());
    }

    /** Every block's attn1 (self) and attn2 (cross, on the captions), in order. */
    public static List<AttentionModule> attentionModules(PixArtConfig config) {
        PixArtGraph m = new PixArtGraph(config, TokenPatch.unpatched(Kernel.MATMUL), BlockRange.ALL, GraphForm.WHOLE, null);
        m.define(config.patchSize(), config.patchSize(), 1, 1, null);
        return m.cut.modules();
    }

    /** The latent grid {height, width}, or a UserError naming the multiple the patch size needs. */
    public static int[] latentSize(PixArtConfig config, ImageSize size) {
        return PatchGrid.latentSize(config.name(), config.patchSize(), size);
    }

    /** The whole model ({@code part} null) or one part of its split after the first block. */
    private void define(int h, int w, int batch, int textTokens, FirstBlock.Part part) {
        int p = c.patchSize();
        int gh = h / p;
        int gw = w / p;
        long d = c.dim(), tokens = (long) gh * gw;
        Value x, temb, t6 = null, context = null;
        KeyPaddingMask mask = null;
        if (part == null || part == FirstBlock.Part.HEAD) {
            Value latents = g.input(DenoiserIO.SAMPLE, DType.FLOAT32, batch, c.inChannels(), h, w);
            Value timestep = g.input(DenoiserIO.TIMESTEP, DType.FLOAT32, batch);
            Value caption = g.input(DenoiserIO.ENCODER_HIDDEN_STATES, DType.FLOAT32, batch, textTokens, c.captionChannels());
            mask = new KeyPaddingMask(g, g.input(DenoiserIO.ENCODER_ATTENTION_MASK, DType.INT64, batch, textTokens));
            try (var s = g.scope("pos_embed")) {
                Value patches = g.conv(latents, weights.get("pos_embed.proj.weight", d, c.inChannels(), p, p),
                        weights.get("pos_embed.proj.bias", d), new long[] {p, p}, null, null, 1);
                x = g.transpose(g.reshape(patches, batch, d, tokens), 0, 2, 1);
                x = g.add(x, g.constant(HostTensor.of(positions(c, gh, gw), 1, tokens, d)));
            }
            try (var s = g.scope("adaln_single")) {
                Value proj;
                try (var t = g.scope("time_proj")) { // a float16 conversion keeps sinusoids in float32
                    proj = DitLayers.sinusoid(g, timestep);
                }
                String mlp = "adaln_single.emb.timestep_embedder";
                temb = linear(silu(linear(proj, mlp + ".linear_1", DitLayers.TIMESTEP_CHANNELS, d)), mlp + ".linear_2", d, d);
                if (c.additionalConditions()) temb = g.add(temb, sizeEmbedding(h * DenoiserIO.VAE_FACTOR, w * DenoiserIO.VAE_FACTOR));
            }
            t6 = g.reshape(linear(silu(temb), "adaln_single.linear", d, 6 * d), batch, 6, d);
            try (var s = g.scope("caption_projection")) {
                context = linear(geluTanh(linear(caption, "caption_projection.linear_1", c.captionChannels(), d)),
                        "caption_projection.linear_2", d, d);
            }
        } else {
            x = g.input(FirstBlock.HIDDEN, DType.FLOAT32, batch, tokens, d);
            temb = g.input(FirstBlock.STATE + "temb", DType.FLOAT32, batch, d);
            if (part == FirstBlock.Part.TAIL) {
                t6 = g.input(FirstBlock.STATE + "t6", DType.FLOAT32, batch, 6, d);
                context = g.input(FirstBlock.STATE + "context", DType.FLOAT32, batch, textTokens, d);
                mask = new KeyPaddingMask(g, g.input(DenoiserIO.ENCODER_ATTENTION_MASK, DType.INT64, batch, textTokens));
            }
        }
        Value first = x;
        int from = part == FirstBlock.Part.TAIL ? 1 : 0;
        int to = part == FirstBlock.Part.HEAD ? 1 : part == FirstBlock.Part.CACHED_TAIL ? 0 : c.layers();
        for (int i = from; i < to; i++) {
            try (var s = g.scope("transformer_blocks." + i)) {
                x = block(x, context, mask, t6, "transformer_blocks." + i, blocks.contains(i), gh, gw);
            }
        }
        if (part == FirstBlock.Part.HEAD) {
            g.output(FirstBlock.HIDDEN, x);
            g.output(FirstBlock.RESIDUAL, g.sub(x, first));
            g.output(FirstBlock.STATE + "temb", temb);
            g.output(FirstBlock.STATE + "t6", t6);
            g.output(FirstBlock.STATE + "context", context);
            return;
        }
        if (part == FirstBlock.Part.TAIL) g.output(FirstBlock.TAIL_RESIDUAL, g.sub(x, first));
        if (part == FirstBlock.Part.CACHED_TAIL) x = g.add(x, g.input(FirstBlock.TAIL_RESIDUAL, DType.FLOAT32, batch, tokens, d));
        try (var s = g.scope("proj_out")) {
            Value table = g.add(g.unsqueeze(weights.get("scale_shift_table", 2, d), 0), g.unsqueeze(temb, 1));
            List<Value> shiftScale = g.split(table, 1, 1, 1);
            Value z = modulate(norm(x), shiftScale.get(0), shiftScale.get(1));
            z = linear(z, "proj_out", d, (long) p * p * c.outChannels());
            g.output(DenoiserIO.OUT_SAMPLE, DitLayers.unpatchify(g, z, batch, gh, gw, p, c.outChannels()));
        }
    }

    /**
     * PixArt-α's size conditions [1, D]: the embeddings of the image's height and width in pixels
     * (one MLP for both) and of their ratio, side by side, as PixArtAlphaCombinedTimestepSizeEmbeddings
     * adds them to the timestep's; the same for every batch entry.
     */
    private Value sizeEmbedding(int heightPx, int widthPx) {
        long third = c.sizeEmbeddingDim();
        Value resolution, ratio;
        try (var t = g.scope("time_proj")) { // kept in float32 by a float16 conversion, as the timestep's sinusoid
            resolution = DitLayers.sinusoid(g, g.constant(HostTensor.of(new float[] {heightPx, widthPx}, 2)));
            ratio = DitLayers.sinusoid(g, g.constant(HostTensor.of(new float[] {(float) ((double) heightPx / widthPx)}, 1)));
        }
        String res = "adaln_single.emb.resolution_embedder", ar = "adaln_single.emb.aspect_ratio_embedder";
        resolution = linear(silu(linear(resolution, res + ".linear_1", DitLayers.TIMESTEP_CHANNELS, third)), res + ".linear_2", third, third);
        ratio = linear(silu(linear(ratio, ar + ".linear_1", DitLayers.TIMESTEP_CHANNELS, third)), ar + ".linear_2", third, third);
        return g.concat(1, g.reshape(resolution, 1, 2 * third), ratio);
    }

    private Value block(Value x, Value context, KeyPaddingMask mask, Value t6, String prefix, boolean patched, int gh, int gw) {
        long d = c.dim();
        Kernel kernel = patch.kernel();
        BlockMethod method = patched ? patch.atBlock(1) : BlockMethod.unpatched(kernel);
        BlockRewrite rewrite = method.rewrite(g, x, gh, gw);
        Value table = g.add(g.unsqueeze(weights.get(prefix + ".scale_shift_table", 6, d), 0), t6);
        List<Value> m = g.split(table, 1, 1, 1, 1, 1, 1, 1); // shift, scale, gate: msa then mlp; each [B, 1, D]
        SelfAttention attn1 = new SelfAttention(g, prefix + ".attn1", name -> attentionWeight(name), true);
        SelfAttention attn2 = new SelfAttention(g, prefix + ".attn2", name -> attentionWeight(name), true).withKeyMask(mask);

        Value a1;
        try (var s = g.scope("attn1")) {
            Value n1 = modulate(norm(x), m.get(0), m.get(1));
            a1 = cut.attention(prefix + ".attn1", false, x.shape(), () -> rewrite.selfAttention(attn1, n1, c.heads()));
        }
        x = g.add(x, g.mul(m.get(2), a1));
        Value a2, n2 = x;
        try (var s = g.scope("attn2")) {
            a2 = cut.attention(prefix + ".attn2", true, x.shape(),
                    () -> rewrite.crossAttention(n2, q -> attn2.attention(q, context, c.heads(), kernel)));
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

    private Value linear(Value x, String prefix, long in, long out) {
        return g.linear(x, weights.get(prefix + ".weight", out, in), weights.get(prefix + ".bias", out));
    }

    private Value modulate(Value x, Value shift, Value scale) {
        return DitLayers.modulate(g, x, shift, scale);
    }

    private Value norm(Value x) {
        return DitLayers.norm(g, x, c.dim(), c.normEps());
    }

    private Value silu(Value x) {
        return DitLayers.silu(g, x);
    }

    private Value geluTanh(Value v) {
        return DitLayers.geluTanh(g, v);
    }

    /** The 2-D sin-cos positions of the gh x gw patch grid, spanning the model's default grid ({@link SinCosPositions}). */
    static float[] positions(PixArtConfig c, int gh, int gw) {
        return SinCosPositions.window(c.dim(), (double) c.sampleSize() / c.patchSize(), c.interpolationScale(), gh, gw, gh, gw,
                0, 0);
    }
}
