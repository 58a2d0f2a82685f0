package org.attnbench.cli;

import org.attnbench.core.UserError;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.UNetDenoiser;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import picocli.CommandLine.Option;

/** The image size of a UNet command: {@code --resolution PX} for a square, or {@code --height} and {@code --width}. */
final class ImageSizeOptions {
    @Option(names = "--resolution", paramLabel = "PX", description = "Square image side in pixels.")
    Integer resolution;

    @Option(names = "--height", paramLabel = "PX", description = "Image height in pixels (with --width, for a non-square image).")
    Integer height;

    @Option(names = "--width", paramLabel = "PX", description = "Image width in pixels (with --height).")
    Integer width;

    /**
     * The size given, or {@code fallback} when none is (null: one is required). Each side must be a
     * multiple of 8 times the UNet's downsampling; {@link UNetGraph#latentSize} says so otherwise.
     */
    ImageSize size(UNetConfig config, ImageSize fallback) {
        return size(new UNetDenoiser(config), fallback);
    }

    /** As {@link #size(UNetConfig, ImageSize)}, for a UNet or a DiT (sides a multiple of 8 x its patch size). */
    ImageSize size(Denoiser model, ImageSize fallback) {
        if (resolution != null && (height != null || width != null)) {
            throw new UserError("give --resolution for a square image or --height and --width, not both");
        }
        if ((height == null) != (width == null)) {
            throw new UserError("--height and --width come together (or give --resolution for a square image)");
        }
        ImageSize size = resolution != null ? ImageSize.square(resolution)
                : height != null ? new ImageSize(height, width) : fallback;
        if (size == null) throw new UserError("give the image size: --resolution PX, or --height PX --width PX");
        model.latentSize(size);
        return size;
    }
}
