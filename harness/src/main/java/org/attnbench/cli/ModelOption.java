package org.attnbench.cli;

import org.attnbench.models.diffusion.Denoiser;
import picocli.CommandLine.Option;

/** --model, the diffusers UNet or DiT a command builds. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "NAME|CONFIG.json",
            description = "sd15, sd21, sdxl, tiny, pixart-sigma, pixart-sigma-2k, pixart-tiny, sd3-medium, sd3.5-medium, "
                    + "sd3.5-large, sd3-tiny, or a diffusers UNet2DConditionModel, PixArtTransformer2DModel or "
                    + "SD3Transformer2DModel config.json.")
    private String model;

    /** The UNet or DiT the name or path gives. */
    Denoiser denoiser() {
        return Denoiser.load(model);
    }

    /** The same, a DiT's method on the blocks given. */
    Denoiser denoiser(BlocksOption blocks) {
        return Denoiser.load(model, blocks.range());
    }

    /** The name or path as given. */
    String name() {
        return model;
    }
}
