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
import org.attnbench.models.attention.FluxAttention;
import org.attnbench.models.attention.RotaryPositions;
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

/**
 * diffusers' {@code FluxTransformer2DModel} (Flux.1 dev and schnell) as one graph, with the
 * pipeline's 2x2 packing of the 16-channel latents at its ends, so that it takes and predicts
 * latents [B, 16, H, W] as the other models do. Its timestep is the scheduler's, 1000 sigma, as
 * for every model here (the pipeline divides it by 1000 and the transformer multiplies it back);
 * Flux.1-dev also takes the guidance scale ({@link DenoiserIO#GUIDANCE}), which the transformer
 * scales by 1000.
 *
 * <pre>
 *   x    = x_embedder(pack(latents))       pack: 2x2 latent cells to 64 channels, (c, dy, dx) order
 *   temb = MLP(sinusoid(t)) [+ MLP(sinusoid(1000 guidance))] + MLP_silu(pooled);  ctx = Linear(text)
 *   double-stream block (x and ctx streams), (shift, scale, gate) x (msa, mlp) per stream from Linear(SiLU(temb)):
 *       a, a_ctx = attention([ctx; x]), rotary positions on x     the method's rewrite, on x
 *       x   += gate a;   x   += gate FF(LN(x) (1 + scale) + shift)
 *       ctx += gate a_ctx;  ctx += gate FF_ctx(...)
 *   single-stream block over [ctx; x], (shift, scale, gate) from Linear(SiLU(temb)), n = LN (1 + scale) + shift:
 *       [ctx; x] += gate proj_out([attention(n), GELU_tanh(proj_mlp(n))])
 *   out  = unpack(proj_out(LN(x) (1 + scale) + shift)),  (scale, shift) = Linear(SiLU(temb))
 * </pre>
 *
 * LayerNorms without affine and q/k RMSNorms, eps 1e-6. The method sees the image tokens on the
 * packed grid (height/16 x width/16) in every attention it covers; text tokens are never touched.
 * Blocks count double-stream first, then single-stream (Flux.1: 0-18 and 19-56). The single-stream
 * blocks keep text and image tokens as two tensors (every layer there but the attention acts per
 * token), and their MLP runs through the method's feed-forward rewrite for the image tokens.
 *
 * <p>Besides the whole model it offers first-block caching's split ({@link FirstBlock}) after its
 * first block (double-stream block 0): the head hands the tail the image and text streams and the
 * conditioning vector. The text stream after the last block feeds nothing, so the cached tail needs
 * no residual of it. And it carries its attentions' outputs across steps ({@link ModuleOutputs}).
 */
public final class FluxGraph {
    private static final double EPS = 1e-6;
    /** Latent cells packed into one token a side. */
    public static final int PACK = 2;
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final DitModules nn;
    private final FluxConfig c;
    private final TokenPatch patch;
    private final BlockRange blocks;
    private final ModuleCut cut;

    private FluxGraph(FluxConfig config, TokenPatch patch, BlockRange blocks, GraphForm form, WeightSource source) {
        this.c = config;
        this.patch = patch;
        this.blocks = blocks;
        this.g = new GraphBuilder("flux_" + config.name().replaceAll("[^A-Za-z0-9]", "_"));
        this.weights = new UNetWeights(g, source);
        this.nn = new DitModules(g, weights, config.dim(), config.headDim(), EPS);
        this.cut = new ModuleCut(g, form);
    }

    /** The patched model for images of {@code size} and {@code textTokens} prompt tokens, the method on {@code blocks}. */
    public static OnnxModel build(FluxConfig config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            BlockRange blocks, WeightSource source) {
        return build(config, size, batch, textTokens, patch, blocks, GraphForm.WHOLE, source);
    }

    /**
     * As above, in one of the forms Flux offers: the whole model, a side of its split after the first
     * block, or the whole model with attention outputs carried across steps.
     */
    public static OnnxModel build(FluxConfig config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            BlockRange blocks, GraphForm form, WeightSource source) {
        if (form != GraphForm.WHOLE && !(form instanceof FirstBlock) && !(form instanceof ModuleOutputs)) {
            throw new UserError(config.name() + " offers its whole model, its split after the first block and its attention"
                    + " outputs, not " + form.describe());
        }
        if (batch < 1) throw new UserError("batch " + batch + " must be at least 1");
        int[] latent = latentSize(config, size);
        blocks.check(config.layers() + config.singleLayers());
        PatchGrid.checkFits(patch, latent[0] / PACK, latent[1] / PACK, config.name(), size);
        FluxGraph m = new FluxGraph(config, patch, blocks, form, source);
        m.define(latent[0], latent[1], batch, textTokens, form instanceof FirstBlock f ? f.part() : null);
        m.cut.checkAll(config.name());
        if (form instanceof ModuleOutputs) m.g.prune();
        return form == GraphForm.WHOLE ? m.weights.model() : m.weights.part();
    }

    /** Every weight the graph reads, name to shape (no weights are made). */
    public static Map<String, long[]> expectedWeights(FluxConfig config) {
        FluxGraph m = new FluxGraph(config, TokenPatch.unpatched(Kernel.MATMUL), BlockRange.ALL, GraphForm.WHOLE, null);
        m.define(PACK, PACK, 1, 1, null);
        return new LinkedHashMap<>(m.weights.expected());
    }

    /**
     * Every block's attention ({@code attn}), double-stream blocks first, each with its image and
     * text outputs (a single-stream block's one output over [text; image] is carried as those two parts).
     */
    public static List<AttentionModule> attentionModules(FluxConfig config) {
        FluxGraph m = new FluxGraph(config, TokenPatch.unpatched(Kernel.MATMUL), BlockRange.ALL, GraphForm.WHOLE, null);
        m.define(PACK, PACK, 1, 1, null);
        return m.cut.modules();
    }

    /** The latent grid {height, width}; a UserError for sides off 16 px or a config that is not 2x2-packed. */
    public static int[] latentSize(FluxConfig config, ImageSize size) {
        if (config.patchSize() != 1 || config.inChannels() % (PACK * PACK) != 0 || config.outChannels() != config.inChannels()) {
            throw new UserError("config " + config.name() + ": the pipeline packs 2x2 latent cells into tokens, which needs "
                    + "patch_size 1 and in_channels = out_channels, a multiple of 4 (got " + config.patchSize() + ", "
                    + config.inChannels() + ", " + config.outChannels() + ")");
        }
        return PatchGrid.latentSize(config.name(), PACK, size);
    }

    /** The whole model ({@code part} null) or one part of its split after the first block. */
    private void define(int h, int w, int batch, int textTokens, FirstBlock.Part part) {
        int gh = h / PACK, gw = w / PACK, d = c.dim(), channels = c.inChannels() / (PACK * PACK);
        long tokens = (long) gh * gw;
        Value x, ctx = null, conditioning;
        if (part == null || part == FirstBlock.Part.HEAD) {
            Value latents = g.input(DenoiserIO.SAMPLE, DType.FLOAT32, batch, channels, h, w);
            Value timestep = g.input(DenoiserIO.TIMESTEP, DType.FLOAT32, batch);
            Value text = g.input(DenoiserIO.ENCODER_HIDDEN_STATES, DType.FLOAT32, batch, textTokens, c.jointAttentionDim());
            Value pooled = g.input(DenoiserIO.TEXT_EMBEDS, DType.FLOAT32, batch, c.pooledProjectionDim());
            Value guidance = c.guidanceEmbeds() ? g.input(DenoiserIO.GUIDANCE, DType.FLOAT32, batch) : null;

            Value packed = g.transpose(g.reshape(latents, batch, channels, gh, PACK, gw, PACK), 0, 2, 4, 1, 3, 5);
            x = nn.linear(g.reshape(packed, batch, tokens, c.inChannels()), "x_embedder", c.inChannels(), d);
            Value temb;
            try (var s = g.scope("time_text_embed")) {
                temb = embedding(timestep, "time_text_embed.timestep_embedder");
                if (guidance != null) {
                    temb = g.add(temb, embedding(g.mul(guidance, g.constScalar(1000f)), "time_text_embed.guidance_embedder"));
                }
                String words = "time_text_embed.text_embedder";
                temb = g.add(temb, nn.embedder(pooled, words, c.pooledProjectionDim()));
            }
            conditioning = nn.silu(temb);
            ctx = nn.linear(text, "context_embedder", c.jointAttentionDim(), d);
        } else {
            x = g.input(FirstBlock.HIDDEN, DType.FLOAT32, batch, tokens, d);
            if (part == FirstBlock.Part.TAIL) ctx = g.input(FirstBlock.STATE + "context", DType.FLOAT32, batch, textTokens, d);
            conditioning = g.input(FirstBlock.STATE + "conditioning", DType.FLOAT32, batch, d);
        }
        Value first = x;
        int all = c.layers() + c.singleLayers();
        int from = part == FirstBlock.Part.TAIL ? 1 : 0;
        int to = part == FirstBlock.Part.HEAD ? 1 : part == FirstBlock.Part.CACHED_TAIL ? 0 : all;
        RotaryPositions rotary = from < to ? new RotaryPositions(g, gh, gw, c.axesDimsRope()) : null;
        for (int b = from; b < to; b++) {
            boolean single = b >= c.layers();
            int i = single ? b - c.layers() : b;
            try (var s = g.scope((single ? "single_transformer_blocks." : "transformer_blocks.") + i)) {
                Value[] out = single ? singleStream(x, ctx, conditioning, i, gh, gw, batch, rotary)
                        : doubleStream(x, ctx, conditioning, i, gh, gw, batch, rotary);
                x = out[0];
                ctx = out[1];
            }
        }
        if (part == FirstBlock.Part.HEAD) {
            g.output(FirstBlock.HIDDEN, x);
            g.output(FirstBlock.RESIDUAL, g.sub(x, first));
            g.output(FirstBlock.STATE + "context", ctx);
            g.output(FirstBlock.STATE + "conditioning", conditioning);
            return;
        }
        if (part == FirstBlock.Part.TAIL) g.output(FirstBlock.TAIL_RESIDUAL, g.sub(x, first));
        if (part == FirstBlock.Part.CACHED_TAIL) x = g.add(x, g.input(FirstBlock.TAIL_RESIDUAL, DType.FLOAT32, batch, tokens, d));
        try (var s = g.scope("norm_out")) {
            List<Value> scaleShift = nn.modulation(conditioning, "norm_out.linear", 2, batch);
            Value z = nn.linear(nn.modulate(nn.norm(x), scaleShift.get(1), scaleShift.get(0)), "proj_out", d, c.outChannels());
            z = g.transpose(g.reshape(z, batch, gh, gw, channels, PACK, PACK), 0, 3, 1, 4, 2, 5);
            g.output(DenoiserIO.OUT_SAMPLE, g.reshape(z, batch, channels, h, w));
        }
    }

    /** MLP(sinusoid(v)): the timestep or the guidance embedder. */
    private Value embedding(Value v, String embedder) {
        Value proj;
        try (var t = g.scope("time_proj")) { // a float16 conversion keeps sinusoids in float32
            proj = DitLayers.sinusoid(g, v);
        }
        return nn.embedder(proj, embedder, DitLayers.TIMESTEP_CHANNELS);
    }

    private Value[] doubleStream(Value x, Value ctx, Value conditioning, int i, int gh, int gw, int batch,
            RotaryPositions rotary) {
        String at = "transformer_blocks." + i;
        BlockRewrite rewrite = method(i).rewrite(g, x, gh, gw);
        // shift, scale, gate of the attention, then of the feed-forward
        List<Value> m = nn.modulation(conditioning, at + ".norm1.linear", 6, batch);
        List<Value> mc = nn.modulation(conditioning, at + ".norm1_context.linear", 6, batch);
        FluxAttention attn = FluxAttention.doubleStream(g, at + ".attn", nn::attentionWeight,
                nn.modulate(nn.norm(ctx), mc.get(0), mc.get(1)), rotary);
        Value[] out;
        try (var s = g.scope("attn1")) {
            Value n = nn.modulate(nn.norm(x), m.get(0), m.get(1));
            out = cut.attention(at + ".attn", false, new long[][] {x.shape(), ctx.shape()},
                    () -> new Value[] {rewrite.selfAttention(attn, n, c.heads()), attn.textOutput()});
        }
        Value a = out[0], textOut = out[1];
        x = g.add(x, g.mul(m.get(2), a));
        Value f;
        try (var s = g.scope("ff")) {
            f = rewrite.feedForward(nn.modulate(nn.norm(x), m.get(3), m.get(4)), n -> nn.feedForward(n, at + ".ff"));
        }
        x = g.add(x, g.mul(m.get(5), f));
        ctx = g.add(ctx, g.mul(mc.get(2), textOut));
        try (var s = g.scope("ff"); var text = g.scope("context")) {
            ctx = g.add(ctx, g.mul(mc.get(5), nn.feedForward(nn.modulate(nn.norm(ctx), mc.get(3), mc.get(4)), at + ".ff_context")));
        }
        return new Value[] {x, ctx};
    }

    private Value[] singleStream(Value x, Value ctx, Value conditioning, int i, int gh, int gw, int batch,
            RotaryPositions rotary) {
        String at = "single_transformer_blocks." + i;
        BlockRewrite rewrite = method(c.layers() + i).rewrite(g, x, gh, gw);
        List<Value> m = nn.modulation(conditioning, at + ".norm.linear", 3, batch); // shift, scale, gate
        Value nx = nn.modulate(nn.norm(x), m.get(0), m.get(1)), nctx = nn.modulate(nn.norm(ctx), m.get(0), m.get(1));
        FluxAttention attn = FluxAttention.singleStream(g, at + ".attn", nn::attentionWeight, nctx, rotary);
        Value[] out;
        try (var s = g.scope("attn1")) {
            out = cut.attention(at + ".attn", false, new long[][] {x.shape(), ctx.shape()},
                    () -> new Value[] {rewrite.selfAttention(attn, nx, c.heads()), attn.textOutput()});
        }
        Value a = out[0], textAttention = out[1];
        // proj_out is mostly the MLP's output layer (4 of its 5 input widths): it counts as feed-forward.
        try (var s = g.scope("ff")) {
            Value mx = rewrite.feedForward(nx, n -> mlp(n, at)), mctx = mlp(nctx, at);
            x = g.add(x, g.mul(m.get(2), projOut(g.concat(2, a, mx), at)));
            ctx = g.add(ctx, g.mul(m.get(2), projOut(g.concat(2, textAttention, mctx), at)));
        }
        return new Value[] {x, ctx};
    }

    private BlockMethod method(int block) {
        return blocks.contains(block) ? patch.atBlock(1) : BlockMethod.unpatched(patch.kernel());
    }

    private Value mlp(Value n, String at) {
        return DitLayers.geluTanh(g, nn.linear(n, at + ".proj_mlp", c.dim(), 4L * c.dim()));
    }

    private Value projOut(Value attentionAndMlp, String at) {
        return nn.linear(attentionAndMlp, at + ".proj_out", 5L * c.dim(), c.dim());
    }
}
