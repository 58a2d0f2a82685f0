package org.attnbench.models.dit;

import org.attnbench.core.UserError;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.attention.TokenPatch;

/** A DiT's patch grid at an image size: the checks every DiT graph makes before it builds. */
final class PatchGrid {
    private PatchGrid() {}

    /** The latent grid {height, width}, or a UserError naming the multiple the patch size needs. */
    static int[] latentSize(String model, int patch, ImageSize size) {
        int multiple = DenoiserIO.VAE_FACTOR * patch;
        if (size.height() % multiple != 0 || size.width() % multiple != 0) {
            throw new UserError("image size " + size + " px does not fit " + model + ": use sides that are "
                    + "multiples of " + multiple + " px (8 px a latent, " + patch + " latents a patch)");
        }
        return new int[] {size.height() / DenoiserIO.VAE_FACTOR, size.width() / DenoiserIO.VAE_FACTOR};
    }

    /** A UserError unless the method leaves tokens on the gh x gw patch grid. */
    static void checkFits(TokenPatch method, int gh, int gw, String model, ImageSize size) {
        if (!method.fits(gh, gw, false)) {
            throw new UserError("variant " + method.name() + " does not fit the " + gh + "x" + gw + " patch grid of "
                    + model + " at " + size + " px: use a smaller factor or a larger image");
        }
    }
}
