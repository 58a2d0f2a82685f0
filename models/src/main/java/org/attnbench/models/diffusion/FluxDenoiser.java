package org.attnbench.models.diffusion;

import java.util.Map;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.FluxConfig;
import org.attnbench.models.dit.FluxGraph;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.WeightSource;

/**
 * A Flux.1 transformer as a {@link Denoiser}: the method on the image tokens of the blocks in
 * {@code blocks} (default all; double-stream blocks first), T5 prompt tokens of 4096 (seeded: 512, the
 * pipeline's default max_sequence_length) and CLIP's pooled embedding of 768, sampled by Euler on
 * the flow shifted by the image's token count.
 *
 * <p>A model with a guidance embedder (Flux.1-dev) takes the guidance scale as an input and runs
 * no classifier-free pass; one without (Flux.1-schnell) is taken to be guidance-distilled: no
 * guidance and an unshifted schedule, as schnell's pipeline and scheduler config run it.
 */
public record FluxDenoiser(FluxConfig config, BlockRange blocks, int textTokens) implements Denoiser {
    /** The pipeline's default max_sequence_length of T5 tokens: the seeded draw's length. */
    public static final int TEXT_TOKENS = 512;

    public FluxDenoiser {
        blocks.check(config.layers() + config.singleLayers());
        DenoiserChecks.tokens(textTokens);
    }

    /** The method on the blocks given, the seeded prompt length. */
    public FluxDenoiser(FluxConfig config, BlockRange blocks) {
        this(config, blocks, TEXT_TOKENS);
    }

    public FluxDenoiser withTextTokens(int tokens) {
        return new FluxDenoiser(config, blocks, tokens);
    }

    public String name() {
        return config.name();
    }

    public String modelClass() {
        return FluxConfig.CLASS;
    }

    /** The VAE's latent channels, four to each packed token. */
    public int inChannels() {
        return config.inChannels() / (FluxGraph.PACK * FluxGraph.PACK);
    }

    public int noiseChannels() {
        return config.outChannels() / (FluxGraph.PACK * FluxGraph.PACK);
    }

    /** 1024 px: Flux.1's default image size. */
    public int nativeResolution() {
        return 1024;
    }

    public int sizeMultiple() {
        return DenoiserIO.VAE_FACTOR * FluxGraph.PACK;
    }

    public int[] latentSize(ImageSize size) {
        return FluxGraph.latentSize(config, size);
    }

    public boolean fits(TokenPatch method, ImageSize size) {
        int[] latent = latentSize(size);
        return method.fits(latent[0] / FluxGraph.PACK, latent[1] / FluxGraph.PACK, false);
    }

    /** Euler on the flow ({@code euler}), shifted by the image's packed token count (not for a guidance-distilled model). */
    public Scheduler namedScheduler(String name, int steps, ImageSize size) {
        FlowMatchEulerScheduler.check(name(), name, steps, "shifted by the image size");
        int[] latent = latentSize(size);
        int tokens = latent[0] / FluxGraph.PACK * (latent[1] / FluxGraph.PACK);
        return FlowMatchEulerScheduler.flux(steps, tokens, config.guidanceEmbeds());
    }

    /** A flow-matching config, with Flux's pipeline sigmas and the image's packed-token count (the pipeline's mu). */
    public Scheduler scheduler(SchedulerConfig config, int steps, ImageSize size) {
        FlowMatchEulerScheduler.checkConfig(name(), config);
        int[] latent = latentSize(size);
        int tokens = latent[0] / FluxGraph.PACK * (latent[1] / FluxGraph.PACK);
        return Scheduler.fromConfig(config, steps, new FlowMatchEulerScheduler.Pipeline(tokens, true));
    }

    public Guidance guidance(double scale) {
        return config.guidanceEmbeds() ? Guidance.embedded(scale) : Guidance.none();
    }

    public String defaultScheduler() {
        return "euler";
    }

    public Conditioning seededConditioning(ImageSize size, long seed) {
        return Conditioning.random(seed + 1, textTokens, config.jointAttentionDim())
                .withPooled(seed + 2, config.pooledProjectionDim());
    }

    /** Prompt states of any length, width 4096, and the pooled embedding (required). */
    public Conditioning fit(Conditioning prompt, ImageSize size, long seed) {
        return prompt.forPooledModel(config.jointAttentionDim(), config.pooledProjectionDim());
    }

    public OnnxModel build(ImageSize size, int batch, TokenPatch patch, GraphForm form, WeightSource weights) {
        return FluxGraph.build(config, size, batch, textTokens, patch, blocks, form, weights);
    }

    public Map<String, long[]> expectedWeights() {
        return FluxGraph.expectedWeights(config);
    }

    public java.util.List<AttentionModule> attentionModules() {
        return FluxGraph.attentionModules(config);
    }
}
