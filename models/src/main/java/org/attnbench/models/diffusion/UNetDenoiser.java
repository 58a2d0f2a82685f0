package org.attnbench.models.diffusion;

import java.util.Map;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.WeightSource;

/**
 * A diffusers UNet2DConditionModel (SD 1.x, 2.x, XL) as a {@link Denoiser}, on Stable Diffusion's
 * schedule; its prompt states are CLIP's 77 tokens unless a prompt brings another length.
 */
public record UNetDenoiser(UNetConfig config, int textTokens) implements Denoiser {
    public UNetDenoiser {
        DenoiserChecks.tokens(textTokens);
    }

    public UNetDenoiser(UNetConfig config) {
        this(config, UNetGraph.TEXT_TOKENS);
    }

    public UNetDenoiser withTextTokens(int tokens) {
        return new UNetDenoiser(config, tokens);
    }

    public String name() {
        return config.name();
    }

    public String modelClass() {
        return "UNet2DConditionModel";
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
        return DenoiserIO.VAE_FACTOR * config.totalDownsampling();
    }

    public int[] latentSize(ImageSize size) {
        return UNetGraph.latentSize(config, size);
    }

    /** The full-resolution level's latent grid (and the levels below it that the method patches). */
    public boolean fits(TokenPatch method, ImageSize size) {
        int[] latent = latentSize(size);
        return method.fits(latent[0], latent[1], true);
    }

    /** On SD's scaled-linear training schedule. */
    public Scheduler namedScheduler(String name, int steps, ImageSize size) {
        return Scheduler.of(name, steps, new NoiseSchedule());
    }

    public Conditioning seededConditioning(ImageSize size, long seed) {
        return Conditioning.random(seed + 1, textTokens, config.crossAttentionDim()).forModel(config, size, seed);
    }

    /** CLIP states [1, L, D]; SDXL's pooled embedding (seeded when the prompt has none) and size ids. */
    public Conditioning fit(Conditioning prompt, ImageSize size, long seed) {
        return prompt.forModel(config, size, seed);
    }

    public OnnxModel build(ImageSize size, int batch, TokenPatch patch, GraphForm form, WeightSource weights) {
        return UNetGraph.build(config, size, batch, textTokens, patch, form, weights);
    }

    public Map<String, long[]> expectedWeights() {
        return UNetGraph.expectedWeights(config);
    }

    public java.util.List<AttentionModule> attentionModules() {
        return UNetGraph.attentionModules(config);
    }
}
