package org.attnbench.harness.config;

import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.unet.ImageSize;

/**
 * {@code --scale F}: a size as written in the config, multiplied by F and rounded to what the
 * workload accepts. Configs, exclude rules and cell ids keep the written sizes' meaning: a rule
 * names a size as written, and a cell's id names the size it measured.
 */
final class Scale {
    private Scale() {}

    /** A grid HxW scaled, each side rounded and at least 1. */
    static String grid(String grid, double scale) {
        int[] hw = AttentionShape.parseGrid(grid);
        if (scale == 1.0) return hw[0] + "x" + hw[1];
        return Math.max(1, (int) Math.round(hw[0] * scale)) + "x" + Math.max(1, (int) Math.round(hw[1] * scale));
    }

    /** An image size scaled, each side rounded to the nearest the model takes (at least its smallest). */
    static ImageSize resolution(Denoiser model, ImageSize size, double scale) {
        if (scale == 1.0) return size;
        return size.scaled(scale, model.sizeMultiple());
    }
}
