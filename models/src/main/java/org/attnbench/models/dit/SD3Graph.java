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
import org.attnbench.models.attention.JointAttention;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.GraphForm;
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.models.diffusion.ModuleCut;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' {@code SD3Transformer2DModel} (Stable Diffusion 3 and 3.5, the MMDiT) as one graph,
 * the attention method patched into the blocks it covers. Inputs and output are named as the
 * UNet's, the pooled text embedding as SDXL's ({@link DenoiserIO#TEXT_EMBEDS}).
 *
 * <pre>
 *   x    = conv_p(latents) flattened row-major + the centre crop of the pos_embed_max_size grid's
 *          2-D sin-cos positions                                              [B, N, D]
 *   temb = MLP(sinusoid_256(t)) + MLP_silu(pooled);  ctx = Linear(text)       [B, L, D]
 *   block:  (shift, scale, gate) x (msa, mlp) [, x (msa2)] = Linear(SiLU(temb)), and 6 for ctx
 *           a, a_ctx = joint attention(LN(x) (1 + scale) + shift, LN(ctx) ...)   the method's rewrite
 *           x += gate * a  [; x += gate2 * attn2(LN(x) (1 + scale2) + shift2)]   SD 3.5 dual blocks
 *           x += gate * FF(LN(x) (1 + scale) + shift)
 *           ctx += gate * a_ctx ;  ctx += gate * FF_ctx(LN(ctx) ...)          not in the last block
 *   out  = unpatchify(proj_out(LN(x) (1 + scale) + shift)),  (scale, shift) = Linear(SiLU(temb))
 * </pre>
 *
 * Every LayerNorm is without affine, eps 1e-6; q/k RMSNorms (SD 3.5) too. The method sees the image
 * tokens on the patch grid (height/8/p x width/8/p), in the joint attention and in the dual
 * attention alike: ToDo downsamples the image keys' and values' tokens, ToMe merges image tokens;
 * text tokens are never touched. The position table is a checkpoint's saved buffer
 * {@code pos_embed.pos_embed} when it holds one (as diffusers loads it), else computed as diffusers
 * computes it at init; either way the graph takes the centre crop for its image as a constant.
 *
 * <p>Besides the whole model it carries its attentions' outputs across steps ({@link ModuleOutputs}):
 * each joint attention's image and text outputs (the last block's image output only), and SD 3.5's
 * image-only {@code attn2}.
 */
public final class SD3Graph {
    private static final double EPS = 1e-6;
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final DitModules nn;
    private final SD3Config c;
    private final TokenPatch patch;
    private final BlockRange blocks;
    private final ModuleCut cut;

    private SD3Graph(SD3Config config, TokenPatch patch, BlockRange blocks, GraphForm form, WeightSource source) {
        this.c = config;
        this.patch = patch;
        this.blocks = blocks;
        this.g = new GraphBuilder("sd3_" + config.name().replaceAll("[^A-Za-z0-9]", "_"));
        this.weights = new UNetWeights(g, source);
        this.nn = new DitModules(g, weights, config.dim(), config.headDim(), EPS);
        this.cut = new ModuleCut(g, form);
    }

    /** The patched model for images of {@code size} and {@code textTokens} prompt tokens, the method on {@code blocks}. */
    public static OnnxModel build(SD3Config config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            BlockRange blocks, WeightSource source) {
        return build(config, size, batch, textTokens, patch, blocks, GraphForm.WHOLE, source);
    }

    /** As above, in one of the forms SD3 offers: the whole model, or with attention outputs carried across steps. */
    public static OnnxModel build(SD3Config config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            BlockRange blocks, GraphForm form, WeightSource source) {
        if (form != GraphForm.WHOLE && !(form instanceof ModuleOutputs)) {
            throw new UserError(config.name() + " offers its whole model and its attention outputs, not " + form.describe());
        }
        if (batch < 1) throw new UserError("batch " + batch + " must be at least 1");
        int[] latent = latentSize(config, size);
        blocks.check(config.layers());
        int gh = latent[0] / config.patchSize(), gw = latent[1] / config.patchSize();
        PatchGrid.checkFits(patch, gh, gw, config.name(), size);
        SD3Graph m = new SD3Graph(config, patch, blocks, form, source);
        m.define(latent[0], latent[1], batch, textTokens);
        m.cut.checkAll(config.name());
        if (form == GraphForm.WHOLE) return m.weights.model();
        m.g.prune();
        return m.weights.part();
    }

    /** Every weight the graph reads, name to shape (no weights are made). */
    public static Map<String, long[]> expectedWeights(SD3Config config) {
        SD3Graph m = new SD3Graph(config, TokenPatch.unpatched(Kernel.MATMUL), BlockRange.ALL, GraphForm.WHOLE, null);
        m.define(config.patchSize(), config.patchSize(), 1, 1);
        return new LinkedHashMap<>(m.weights.expected());
    }

    /** Every block's joint attention ({@code attn}) and SD 3.5's image-only {@code attn2}, in order. */
    public static List<AttentionModule> attentionModules(SD3Config config) {
        SD3Graph m = new SD3Graph(config, TokenPatch.unpatched(Kernel.MATMUL), BlockRange.ALL, GraphForm.WHOLE, null);
        m.define(config.patchSize(), config.patchSize(), 1, 1);
        return m.cut.modules();
    }

    /** The latent grid {height, width}; a UserError for sides off the patch multiple or beyond the position table. */
    public static int[] latentSize(SD3Config config, ImageSize size) {
        int[] latent = PatchGrid.latentSize(config.name(), config.patchSize(), size);
        int most = config.posEmbedMaxSize() * config.patchSize() * DenoiserIO.VAE_FACTOR;
        if (size.height() > most || size.width() > most) {
            throw new UserError("image size " + size + " px is beyond " + config.name() + "'s position table ("
                    + config.posEmbedMaxSize() + " patches a side, " + most + " px): use a smaller size");
        }
        return latent;
    }

    private void define(int h, int w, int batch, int textTokens) {
        int p = c.patchSize(), gh = h / p, gw = w / p, d = c.dim();
        Value latents = g.input(DenoiserIO.SAMPLE, DType.FLOAT32, batch, c.inChannels(), h, w);
        Value timestep = g.input(DenoiserIO.TIMESTEP, DType.FLOAT32, batch);
        Value text = g.input(DenoiserIO.ENCODER_HIDDEN_STATES, DType.FLOAT32, batch, textTokens, c.jointAttentionDim());
        Value pooled = g.input(DenoiserIO.TEXT_EMBEDS, DType.FLOAT32, batch, c.pooledProjectionDim());

        Value x;
        try (var s = g.scope("pos_embed")) {
            Value patches = g.conv(latents, weights.get("pos_embed.proj.weight", d, c.inChannels(), p, p),
                    weights.get("pos_embed.proj.bias", d), new long[] {p, p}, null, null, 1);
            x = g.transpose(g.reshape(patches, batch, d, (long) gh * gw), 0, 2, 1);
            long cells = (long) c.posEmbedMaxSize() * c.posEmbedMaxSize();
            float[] table = weights.buffer(SD3Weights.POS_EMBED, 1, cells, d).map(t -> crop(t, gh, gw)).orElseGet(() -> positions(c, gh, gw));
            x = g.add(x, g.constant(HostTensor.of(table, 1, (long) gh * gw, d)));
        }
        Value temb;
        try (var s = g.scope("time_text_embed")) {
            Value proj;
            try (var t = g.scope("time_proj")) { // a float16 conversion keeps sinusoids in float32
                proj = DitLayers.sinusoid(g, timestep);
            }
            String time = "time_text_embed.timestep_embedder", words = "time_text_embed.text_embedder";
            Value t = nn.embedder(proj, time, DitLayers.TIMESTEP_CHANNELS);
            temb = g.add(t, nn.embedder(pooled, words, c.pooledProjectionDim()));
        }
        Value conditioning = nn.silu(temb);
        Value ctx = nn.linear(text, "context_embedder", c.jointAttentionDim(), c.captionProjectionDim());
        for (int i = 0; i < c.layers(); i++) {
            try (var s = g.scope("transformer_blocks." + i)) {
                Value[] out = block(x, ctx, conditioning, i, gh, gw, batch);
                x = out[0];
                ctx = out[1];
            }
        }
        try (var s = g.scope("norm_out")) {
            List<Value> scaleShift = nn.modulation(conditioning, "norm_out.linear", 2, batch);
            Value z = nn.modulate(nn.norm(x), scaleShift.get(1), scaleShift.get(0));
            z = nn.linear(z, "proj_out", d, (long) p * p * c.outChannels());
            g.output(DenoiserIO.OUT_SAMPLE, DitLayers.unpatchify(g, z, batch, gh, gw, p, c.outChannels()));
        }
    }

    /** One joint block: the image stream and, but in the last block, the text stream; {x, ctx}. */
    private Value[] block(Value x, Value ctx, Value conditioning, int i, int gh, int gw, int batch) {
        String at = "transformer_blocks." + i;
        boolean last = i == c.layers() - 1;
        boolean dual = c.dualAttentionLayers().contains(i);
        Kernel kernel = patch.kernel();
        BlockMethod method = blocks.contains(i) ? patch.atBlock(1) : BlockMethod.unpatched(kernel);
        BlockRewrite rewrite = method.rewrite(g, x, gh, gw);
        // shift, scale, gate of the attention, then of the feed-forward, then of the dual attention
        List<Value> m = nn.modulation(conditioning, at + ".norm1.linear", dual ? 9 : 6, batch);
        List<Value> mc = nn.modulation(conditioning, at + ".norm1_context.linear", last ? 2 : 6, batch);
        Value nx = nn.norm(x);
        Value nctx = last ? nn.modulate(nn.norm(ctx), mc.get(1), mc.get(0)) : nn.modulate(nn.norm(ctx), mc.get(0), mc.get(1));
        JointAttention attn = JointAttention.joint(g, at + ".attn", nn::attentionWeight, nctx, !last, c.qkNorm(), (float) EPS);
        Value[] joint;
        // Scopes name the step's parts (StepPart): both attentions are self-attention, both feed-forwards feed-forward.
        try (var s = g.scope("attn1")) {
            Value n = nn.modulate(nx, m.get(0), m.get(1));
            // The last block's text output feeds nothing: it is neither computed nor carried.
            long[][] shapes = last ? new long[][] {x.shape()} : new long[][] {x.shape(), ctx.shape()};
            joint = cut.attention(at + ".attn", false, shapes, () -> {
                Value image = rewrite.selfAttention(attn, n, c.heads());
                return last ? new Value[] {image} : new Value[] {image, attn.textOutput()};
            });
        }
        Value a = joint[0];
        Value textOut = last ? null : joint[1];
        x = g.add(x, g.mul(m.get(2), a));
        if (dual) {
            JointAttention attn2 = JointAttention.imageOnly(g, at + ".attn2", nn::attentionWeight, c.qkNorm(), (float) EPS);
            Value a2;
            try (var s = g.scope("attn1"); var d2 = g.scope("dual")) {
                Value n2 = nn.modulate(nx, m.get(6), m.get(7));
                a2 = cut.attention(at + ".attn2", false, x.shape(), () -> rewrite.selfAttention(attn2, n2, c.heads()));
            }
            x = g.add(x, g.mul(m.get(8), a2));
        }
        Value f;
        try (var s = g.scope("ff")) {
            f = rewrite.feedForward(nn.modulate(nn.norm(x), m.get(3), m.get(4)), n -> nn.feedForward(n, at + ".ff"));
        }
        x = g.add(x, g.mul(m.get(5), f));
        if (last) return new Value[] {x, null};
        ctx = g.add(ctx, g.mul(mc.get(2), textOut));
        try (var s = g.scope("ff"); var text = g.scope("context")) {
            ctx = g.add(ctx, g.mul(mc.get(5), nn.feedForward(nn.modulate(nn.norm(ctx), mc.get(3), mc.get(4)), at + ".ff_context")));
        }
        return new Value[] {x, ctx};
    }

    /** The gh x gw window at the centre of a saved [1, max^2, dim] table, row by row, as float32. */
    private float[] crop(HostTensor table, int gh, int gw) {
        int max = c.posEmbedMaxSize(), d = c.dim(), top = (max - gh) / 2, left = (max - gw) / 2;
        int rowBytes = gw * d * table.dtype().byteSize();
        float[] out = new float[gh * gw * d];
        for (int r = 0; r < gh; r++) {
            int from = ((top + r) * max + left) * d * table.dtype().byteSize();
            HostTensor row = new HostTensor(table.dtype(), new long[] {(long) gw * d}, table.data().position(from).limit(from + rowBytes));
            System.arraycopy(row.toDType(DType.FLOAT32).toFloats(), 0, out, r * gw * d, gw * d);
        }
        return out;
    }

    /** The whole pos_embed_max_size grid's table, [max^2 * dim], as diffusers computes the buffer it saves. */
    public static float[] positionTable(SD3Config c) {
        int max = c.posEmbedMaxSize();
        return SinCosPositions.window(c.dim(), (double) c.sampleSize() / c.patchSize(), 1, max, max, max, max, 0, 0);
    }

    /** The gh x gw window at the centre of the pos_embed_max_size grid, as diffusers' cropped_pos_embed takes it. */
    static float[] positions(SD3Config c, int gh, int gw) {
        int max = c.posEmbedMaxSize();
        return SinCosPositions.window(c.dim(), (double) c.sampleSize() / c.patchSize(), 1, gh, gw, max, max, (max - gh) / 2,
                (max - gw) / 2);
    }
}
