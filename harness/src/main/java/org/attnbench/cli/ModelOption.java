package org.attnbench.cli;

import org.attnbench.models.unet.UNetConfig;
import picocli.CommandLine.Option;

/** --model, the diffusers UNet a command builds. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "NAME|CONFIG.json",
            description = "sd15, sd21, sdxl, tiny, or a diffusers UNet config.json.")
    private String model;

    UNetConfig config() {
        return UNetConfig.load(model);
    }

    /** The name or path as given. */
    String name() {
        return model;
    }
}
