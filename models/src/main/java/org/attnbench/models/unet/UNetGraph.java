package org.attnbench.models.unet;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.GraphForm;
import org.attnbench.models.diffusion.ModuleCut;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A diffusers UNet2DConditionModel as one float32 ONNX graph, weights as initializers under their
 * diffusers names, attention patched per transformer block by a {@link TokenPatch}.
 *
 * <p>Inputs: {@code sample} [B, in_channels, height/8, width/8], {@code timestep} [B],
 * {@code encoder_hidden_states} [B, 77, cross_attention_dim], and for SDXL {@code text_embeds}
 * [B, 1280] and {@code time_ids} [B, 6]. Output: {@code out_sample} [B, out_channels, height/8, width/8]. Non-square latents are
 * laid out row-major like diffusers' (tokens h * w, row by row), so ToDo's floor rule and tomesd's
 * leftover rows and columns apply to each side on its own.
 *
 * <p>Structure: conv_in; down blocks (resnets, each followed by a Transformer2D in cross-attention
 * blocks, and a stride-2 conv downsampler but in the last), every intermediate kept as a skip;
 * the mid block (resnet, Transformer2D, resnet); up blocks (layers_per_block + 1 resnets on the
 * input concatenated with the latest skip, transformers likewise, a nearest x2 upsample and 3x3
 * conv but in the last); GroupNorm, SiLU, conv_out.
 *
 * <p>Besides the whole model it offers DeepCache's forms around a skip branch ({@link
 * GraphForm.SkipBranch}): the deep one gives the up path's hidden state at the branch too, the
 * shallow one takes it and runs only the time embedding, conv_in, the down path before the branch
 * and the up path after it. And it carries the outputs of its transformer blocks' {@code attn1} and
 * {@code attn2} across steps ({@link GraphForm.ModuleOutputs}).
 */
public final class UNetGraph {
    /** CLIP's text length, the default sequence length of encoder_hidden_states. */
    public static final int TEXT_TOKENS = 77;

    private final UNetConfig config;
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final Layers nn;
    private final ResnetBlock resnet;
    private final Transformer2D transformer;
    private final ModuleCut cut;

    private GraphForm.SkipBranch branch;

    private UNetGraph(UNetConfig config, TokenPatch patch, WeightSource source) {
        this(config, patch, GraphForm.WHOLE, source);
    }

    private UNetGraph(UNetConfig config, TokenPatch patch, GraphForm form, WeightSource source) {
        this.config = config;
        this.g = new GraphBuilder("unet_" + patch.name() + (form.describe().isEmpty() ? "" : "_" + form.describe().replace(' ', '_')));
        this.weights = new UNetWeights(g, source);
        this.nn = new Layers(g, weights);
        this.resnet = new ResnetBlock(nn, config);
        this.cut = new ModuleCut(g, form);
        this.transformer = new Transformer2D(nn, config, patch, cut);
    }

    /** The patched UNet for a square image of {@code resolutionPx}; see {@link #build(UNetConfig, ImageSize, int, TokenPatch, WeightSource)}. */
    public static OnnxModel build(UNetConfig config, int resolutionPx, int batch, TokenPatch patch, WeightSource weights) {
        return build(config, ImageSize.square(resolutionPx), batch, patch, weights);
    }

    /**
     * The patched UNet for images of {@code size} (each side a multiple of 8 whose latent the UNet's
     * total downsampling divides). Missing or misshapen weights are a UserError; stored tensors the
     * model does not use are reported on stderr as one warning line.
     */
    public static OnnxModel build(UNetConfig config, ImageSize size, int batch, TokenPatch patch, WeightSource weights) {
        return build(config, size, batch, TEXT_TOKENS, patch, weights);
    }

    /** As above for prompt states of {@code textTokens} tokens (CLIP gives 77; the UNet takes any length). */
    public static OnnxModel build(UNetConfig config, ImageSize size, int batch, int textTokens, TokenPatch patch,
            WeightSource weights) {
        return build(config, size, batch, textTokens, patch, GraphForm.WHOLE, weights);
    }

    /**
     * As above, in one of the forms a UNet offers: the whole model, either side of a skip branch, or
     * the whole model with attention outputs carried across steps ({@link GraphForm.ModuleOutputs}).
     */
    public static OnnxModel build(UNetConfig config, ImageSize size, int batch, int textTokens, TokenPatch patch, GraphForm form,
            WeightSource weights) {
        if (batch < 1) throw new UserError("batch " + batch + " must be at least 1");
        if (textTokens < 1) throw new UserError("prompt states need at least one token, got " + textTokens);
        int[] latent = latentSize(config, size);
        UNetGraph u = new UNetGraph(config, patch, form, weights);
        if (form instanceof GraphForm.SkipBranch b) {
            checkBranch(config, b);
            u.branch = b;
        } else if (form != GraphForm.WHOLE && !(form instanceof GraphForm.ModuleOutputs)) {
            throw new UserError("a UNet offers the whole model, DeepCache's skip branches and its attention outputs, not "
                    + form.describe());
        }
        u.define(latent[0], latent[1], batch, textTokens);
        u.cut.checkAll(config.name());
        if (form instanceof GraphForm.ModuleOutputs) {
            u.g.prune();
            return u.weights.part();
        }
        return form == GraphForm.WHOLE || !u.branch.shallow() ? u.weights.model() : u.weights.part();
    }

    /** A UserError unless the branch names a down block of the config and a layer of it (its downsampler excluded). */
    public static void checkBranch(UNetConfig config, GraphForm.SkipBranch b) {
        if (b.block() < 0 || b.block() >= config.levels() || b.layer() < 0 || b.layer() > config.layersPerBlock()) {
            throw new UserError("skip branch at down block " + b.block() + ", layer " + b.layer() + " is not in " + config.name()
                    + ": it has down blocks 0-" + (config.levels() - 1) + " of " + config.layersPerBlock()
                    + " layers (a branch's layer is 0-" + config.layersPerBlock() + ")");
        }
    }

    /** Every weight the config needs, name to shape, in diffusers' names (no weights are made). */
    public static Map<String, long[]> expectedWeights(UNetConfig config) {
        UNetGraph u = new UNetGraph(config, TokenPatch.unpatched(Kernel.MATMUL), null);
        u.define(config.totalDownsampling(), config.totalDownsampling(), 1, TEXT_TOKENS);
        return new LinkedHashMap<>(u.weights.expected());
    }

    /** Every attention module of its transformer blocks, in the order the model runs them. */
    public static List<AttentionModule> attentionModules(UNetConfig config) {
        UNetGraph u = new UNetGraph(config, TokenPatch.unpatched(Kernel.MATMUL), null);
        u.define(config.totalDownsampling(), config.totalDownsampling(), 1, TEXT_TOKENS);
        return u.cut.modules();
    }

    public static long parameterCount(UNetConfig config) {
        return expectedWeights(config).values().stream().mapToLong(HostTensor::numel).sum();
    }

    public static int tensorCount(UNetConfig config) {
        return expectedWeights(config).size();
    }

    /** The latent grid side for a square resolution, or a UserError naming the valid multiple. */
    public static int latentSize(UNetConfig config, int resolutionPx) {
        return latentSize(config, ImageSize.square(resolutionPx))[0];
    }

    /**
     * The latent grid {height, width} for an image size, or a UserError naming the valid multiple.
     * diffusers' UNet takes any latent its downsampling divides; sides it does not divide would
     * need its upsampling to be told the skip's size, which this builder does not do.
     */
    public static int[] latentSize(UNetConfig config, ImageSize size) {
        int multiple = DenoiserIO.VAE_FACTOR * config.totalDownsampling();
        if (size.height() % multiple != 0 || size.width() % multiple != 0) {
            String what = size.isSquare() ? "resolution " + size + " px" : "image size " + size + " px (width x height)";
            throw new UserError(what + " does not fit " + config.name() + ": use sides that are positive "
                    + "multiples of " + multiple + " px (8 px per latent cell, and the latent halves "
                    + (config.levels() - 1) + " times)");
        }
        return new int[] {size.height() / DenoiserIO.VAE_FACTOR, size.width() / DenoiserIO.VAE_FACTOR};
    }

    private void define(int latentHeight, int latentWidth, int batch, int textTokens) {
        Value sample = g.input(DenoiserIO.SAMPLE, DType.FLOAT32, batch, config.inChannels(), latentHeight, latentWidth);
        Value timestep = g.input(DenoiserIO.TIMESTEP, DType.FLOAT32, batch);
        Value context = g.input(DenoiserIO.ENCODER_HIDDEN_STATES, DType.FLOAT32, batch, textTokens, config.crossAttentionDim());
        Value textEmbeds = null;
        Value timeIds = null;
        if (config.addTextTime()) {
            textEmbeds = g.input(DenoiserIO.TEXT_EMBEDS, DType.FLOAT32, batch, config.textEmbedsDim());
            timeIds = g.input(DenoiserIO.TIME_IDS, DType.FLOAT32, batch, 6);
        }
        Value emb;
        try (var s = g.scope("time_embedding")) {
            emb = nn.silu(new TimeEmbedding(nn, config).apply(timestep, textEmbeds, timeIds));
        }
        Value h;
        try (var s = g.scope("conv_in")) {
            h = nn.conv(sample, "conv_in", config.blockOutChannels()[0], 3, 1);
        }
        Deque<Value> skips = new ArrayDeque<>();
        skips.push(h);
        if (branch != null && branch.shallow()) {
            down(h, emb, context, skips, branch.block(), branch.layer());
            h = g.input(GraphForm.SkipBranch.FEATURE, DType.FLOAT32, featureShape(batch, latentHeight, latentWidth));
            h = up(h, emb, context, skips, config.levels() - 1 - branch.block(), config.layersPerBlock() - branch.layer());
        } else {
            h = down(h, emb, context, skips, config.levels(), 0);
            h = mid(h, emb, context);
            h = up(h, emb, context, skips, 0, 0);
        }
        try (var s = g.scope("conv_out")) {
            h = nn.silu(nn.groupNorm(h, "conv_norm_out", config.normNumGroups(), config.normEps()));
            g.output(DenoiserIO.OUT_SAMPLE, nn.conv(h, "conv_out", config.outChannels(), 3, 1));
        }
    }

    /** The down path's blocks before {@code lastBlock}, then that block's first {@code lastLayers} layers (no downsampler). */
    private Value down(Value h, Value emb, Value context, Deque<Value> skips, int lastBlock, int lastLayers) {
        int[] channels = config.blockOutChannels();
        for (int level = 0; level <= Math.min(lastBlock, config.levels() - 1); level++) {
            String block = "down_blocks." + level;
            boolean cross = config.downBlockTypes().get(level).equals(UNetConfig.CROSS_ATTN_DOWN);
            boolean partial = level == lastBlock;
            try (var s = g.scope(block)) {
                for (int j = 0; j < (partial ? lastLayers : config.layersPerBlock()); j++) {
                    h = layer(h, emb, context, block, j, channels[level], cross, level);
                    skips.push(h);
                }
                if (level < config.levels() - 1 && !partial) {
                    h = nn.conv(h, block + ".downsamplers.0.conv", channels[level], 3, 2);
                    skips.push(h);
                }
            }
        }
        return h;
    }

    private Value mid(Value h, Value emb, Value context) {
        int last = config.levels() - 1;
        long c = config.blockOutChannels()[last];
        try (var s = g.scope("mid_block")) {
            h = resnet.apply(h, emb, "mid_block.resnets.0", c);
            h = transformer.apply(h, context, "mid_block.attentions.0", config.heads()[last],
                    config.transformerLayersPerBlock()[last], 1 << last);
            return resnet.apply(h, emb, "mid_block.resnets.1", c);
        }
    }

    /**
     * The up path from up block {@code firstBlock}, layer {@code firstLayer} on. In the whole model
     * with a deep skip branch, the hidden state that enters the branch's layer is also an output.
     */
    private Value up(Value h, Value emb, Value context, Deque<Value> skips, int firstBlock, int firstLayer) {
        for (int i = firstBlock; i < config.levels(); i++) {
            int level = config.levels() - 1 - i;
            String block = "up_blocks." + i;
            boolean cross = config.upBlockTypes().get(i).equals(UNetConfig.CROSS_ATTN_UP);
            try (var s = g.scope(block)) {
                for (int j = i == firstBlock ? firstLayer : 0; j <= config.layersPerBlock(); j++) {
                    if (branch != null && !branch.shallow() && level == branch.block()
                            && j == config.layersPerBlock() - branch.layer()) {
                        g.output(GraphForm.SkipBranch.FEATURE, h);
                    }
                    h = layer(g.concat(1, h, skips.pop()), emb, context, block, j, config.blockOutChannels()[level], cross, level);
                }
                if (i < config.levels() - 1) {
                    Value up = g.resize(h, new float[] {1, 1, 2, 2}, "nearest", "asymmetric", "floor");
                    h = nn.conv(up, block + ".upsamplers.0.conv", h.dim(1), 3, 1);
                }
            }
        }
        return h;
    }

    /**
     * The up path's hidden state where a skip branch enters it: at the branch's level, the channels
     * of the up block's own layers, or, entering at its first layer, of what comes before it (the
     * up block below, or the mid block).
     */
    private long[] featureShape(int batch, int latentHeight, int latentWidth) {
        int level = branch.block();
        int down = 1 << level;
        int[] ch = config.blockOutChannels();
        boolean firstLayer = config.layersPerBlock() - branch.layer() == 0;
        long c = !firstLayer ? ch[level] : level == config.levels() - 1 ? ch[level] : ch[level + 1];
        return new long[] {batch, c, latentHeight / down, latentWidth / down};
    }

    /** resnets.j, then attentions.j in cross-attention blocks; {@code level} 0 is full resolution. */
    private Value layer(Value h, Value emb, Value context, String block, int j, long channels, boolean cross, int level) {
        h = resnet.apply(h, emb, block + ".resnets." + j, channels);
        if (!cross) return h;
        return transformer.apply(h, context, block + ".attentions." + j, config.heads()[level],
                config.transformerLayersPerBlock()[level], 1 << level);
    }
}
