package org.attnbench.models.attention;

import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;

/**
 * The shape of one self-attention sub-block: batch, latent grid (tokens in row-major order,
 * token = row * width + col), channels and heads.
 */
public record AttentionShape(int batch, int height, int width, int channels, int heads) {
    public AttentionShape {
        if (batch < 1 || height < 1 || width < 1 || channels < 1 || heads < 1) {
            throw new UserError("attention shape needs positive batch, grid, channels and heads; got batch "
                    + batch + ", grid " + height + "x" + width + ", channels " + channels + ", heads " + heads);
        }
        SizeLimits.check("batch", batch, SizeLimits.BATCH);
        SizeLimits.check("grid height", height, SizeLimits.GRID_SIDE);
        SizeLimits.check("grid width", width, SizeLimits.GRID_SIDE);
        SizeLimits.check("channels", channels, SizeLimits.ATTENTION_CHANNELS);
        SizeLimits.check("heads", heads, SizeLimits.HEADS);
        if (channels % heads != 0) {
            throw new UserError("channels " + channels + " are not divisible by heads " + heads
                    + ": pick heads that divide channels (SD 1.5 level 1: 320 channels, 8 heads)");
        }
    }

    public int tokens() {
        return height * width;
    }

    public int headDim() {
        return channels / heads;
    }

    /** Parses "HxW" (or a single number for a square grid). */
    public static int[] parseGrid(String text) {
        String[] parts = text.toLowerCase().split("x");
        try {
            int h = Integer.parseInt(parts[0].trim());
            int w = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : h;
            if (parts.length <= 2 && h > 0 && w > 0) {
                SizeLimits.check("grid side", Math.max(h, w), SizeLimits.GRID_SIDE);
                return new int[] {h, w};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserError("grid '" + text + "' is not HxW with positive integers (e.g. 64x64)");
    }
}
