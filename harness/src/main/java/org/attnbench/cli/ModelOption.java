package org.attnbench.cli;

import org.attnbench.core.UserError;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.dit.PixArtConfig;
import org.attnbench.models.unet.UNetConfig;
import picocli.CommandLine.Option;

/** --model, the diffusers UNet (or, where a command says so, DiT) a command builds. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "NAME|CONFIG.json",
            description = "sd15, sd21, sdxl, tiny, or a diffusers UNet config.json (params and unet also take the DiTs "
                    + "pixart-sigma, pixart-sigma-2k, pixart-tiny, or a PixArtTransformer2DModel config.json).")
    private String model;

    UNetConfig config() {
        if (PixArtConfig.isPixArt(model)) throw new UserError(model + " is a diffusion transformer; this command takes UNets only");
        return UNetConfig.load(model);
    }

    /** The UNet or DiT the name or path gives. */
    Denoiser denoiser() {
        return Denoiser.load(model);
    }

    /** The name or path as given. */
    String name() {
        return model;
    }
}
