package org.attnbench.models.diffusion;

import java.util.Map;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.SD3Config;
import org.attnbench.models.dit.SD3Graph;
import org.attnbench.models.dit.SD3Weights;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.WeightSource;

/**
 * An SD 3 / 3.5 transformer (MMDiT) as a {@link Denoiser}: the method on the image tokens of the
 * blocks in {@code blocks} (default all), prompt tokens of 4096 (CLIP's 77, padded to T5's width,
 * then T5's, as the pipeline concatenates them; seeded: 77 + 256 = 333) and a pooled embedding, sampled by Euler
 * on the rectified flow with SD3's shift 3.0 (the pipeline's FlowMatchEulerDiscreteScheduler).
 */
public record SD3Denoiser(SD3Config config, BlockRange blocks, int textTokens) implements Denoiser {
    /** CLIP's 77 tokens and T5's 256 (the pipeline's max_sequence_length): the seeded draw's length. */
    public static final int TEXT_TOKENS = 77 + 256;

    public SD3Denoiser {
        blocks.check(config.layers());
        DenoiserChecks.tokens(textTokens);
    }

    /** The method on the blocks given, the seeded prompt length. */
    public SD3Denoiser(SD3Config config, BlockRange blocks) {
        this(config, blocks, TEXT_TOKENS);
    }

    public SD3Denoiser withTextTokens(int tokens) {
        return new SD3Denoiser(config, blocks, tokens);
    }

    public String name() {
        return config.name();
    }

    public String modelClass() {
        return SD3Config.CLASS;
    }

    public int inChannels() {
        return config.inChannels();
    }

    public int noiseChannels() {
        return config.outChannels();
    }

    public int nativeResolution() {
        return config.sampleSize() * DenoiserIO.VAE_FACTOR;
    }

    public int sizeMultiple() {
        return DenoiserIO.VAE_FACTOR * config.patchSize();
    }

    public int[] latentSize(ImageSize size) {
        return SD3Graph.latentSize(config, size);
    }

    public boolean fits(TokenPatch method, ImageSize size) {
        int[] latent = latentSize(size);
        return method.fits(latent[0] / config.patchSize(), latent[1] / config.patchSize(), false);
    }

    /** Euler on the flow ({@code euler}); the noise-prediction samplers do not apply to a velocity model. */
    public Scheduler namedScheduler(String name, int steps, ImageSize size) {
        FlowMatchEulerScheduler.check(name(), name, steps, "shift " + FlowMatchEulerScheduler.SD3_SHIFT);
        return FlowMatchEulerScheduler.sd3(steps, FlowMatchEulerScheduler.SD3_SHIFT);
    }

    /** A flow-matching config, with the image's patch-token count for a dynamic shift (the pipeline's mu). */
    public Scheduler scheduler(SchedulerConfig config, int steps, ImageSize size) {
        FlowMatchEulerScheduler.checkConfig(name(), config);
        int[] latent = latentSize(size);
        int tokens = latent[0] / config().patchSize() * (latent[1] / config().patchSize());
        return Scheduler.fromConfig(config, steps, new FlowMatchEulerScheduler.Pipeline(tokens, false));
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
        return SD3Graph.build(config, size, batch, textTokens, patch, blocks, form, weights);
    }

    public Map<String, long[]> expectedWeights() {
        return SD3Graph.expectedWeights(config);
    }

    /** The position table a checkpoint saves besides its parameters (the graph computes it). */
    public Map<String, long[]> savedBuffers() {
        return SD3Weights.buffers(config);
    }

    public java.util.List<AttentionModule> attentionModules() {
        return SD3Graph.attentionModules(config);
    }
}
