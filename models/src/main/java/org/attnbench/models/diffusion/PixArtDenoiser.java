package org.attnbench.models.diffusion;

import java.util.Map;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.PixArtConfig;
import org.attnbench.models.dit.PixArtGraph;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.WeightSource;

/**
 * A PixArt-α/Σ transformer as a {@link Denoiser}: the method on every block's self-attention,
 * T5 prompt states with their caption mask (seeded: 300 tokens, PixArt-Σ's max_sequence_length, all
 * attended), its linear beta schedule (0.0001 to 0.02).
 * The method patches the blocks in {@code blocks} (default all).
 * The noise prediction is the first {@code in_channels} of its output (the rest is the learned
 * variance, which the pipeline drops).
 */
public record PixArtDenoiser(PixArtConfig config, BlockRange blocks, int textTokens) implements Denoiser {
    /** PixArt-Σ's prompt length (PixArt-α's is 120): the seeded draw's. */
    public static final int TEXT_TOKENS = 300;

    public PixArtDenoiser {
        blocks.check(config.layers());
        DenoiserChecks.tokens(textTokens);
    }

    /** The method on the blocks given, the seeded prompt length. */
    public PixArtDenoiser(PixArtConfig config, BlockRange blocks) {
        this(config, blocks, TEXT_TOKENS);
    }

    /** The method on every block. */
    public PixArtDenoiser(PixArtConfig config) {
        this(config, BlockRange.ALL);
    }

    public PixArtDenoiser withTextTokens(int tokens) {
        return new PixArtDenoiser(config, blocks, tokens);
    }

    public String name() {
        return config.name();
    }

    public String modelClass() {
        return "PixArtTransformer2DModel";
    }

    public int inChannels() {
        return config.inChannels();
    }

    /** PixArt's out_channels are twice in_channels when it learns the variance (as PixArt-α and Σ do). */
    public int noiseChannels() {
        return config.outChannels() == 2 * config.inChannels() ? config.inChannels() : config.outChannels();
    }

    public int nativeResolution() {
        return config.sampleSize() * DenoiserIO.VAE_FACTOR;
    }

    public int sizeMultiple() {
        return DenoiserIO.VAE_FACTOR * config.patchSize();
    }

    public int[] latentSize(ImageSize size) {
        return PixArtGraph.latentSize(config, size);
    }

    /** The patch grid, where every block's image tokens are. */
    public boolean fits(TokenPatch method, ImageSize size) {
        int[] latent = latentSize(size);
        return method.fits(latent[0] / config.patchSize(), latent[1] / config.patchSize(), false);
    }

    /** On PixArt's linear training schedule (betas 0.0001 to 0.02). */
    public Scheduler namedScheduler(String name, int steps, ImageSize size) {
        return Scheduler.of(name, steps, NoiseSchedule.linear(0.0001, 0.02));
    }

    /** Seeded T5 states, every token attended (masks of ones). */
    public Conditioning seededConditioning(ImageSize size, long seed) {
        return fit(Conditioning.random(seed + 1, textTokens, config.captionChannels()), size, seed);
    }

    /** T5 states [1, L, 4096] and their caption masks (all ones when the prompt has none). */
    public Conditioning fit(Conditioning prompt, ImageSize size, long seed) {
        return prompt.forMaskedModel(config.captionChannels());
    }

    public OnnxModel build(ImageSize size, int batch, TokenPatch patch, GraphForm form, WeightSource weights) {
        return PixArtGraph.build(config, size, batch, textTokens, patch, blocks, form, weights);
    }

    public Map<String, long[]> expectedWeights() {
        return PixArtGraph.expectedWeights(config);
    }

    public java.util.List<AttentionModule> attentionModules() {
        return PixArtGraph.attentionModules(config);
    }
}
