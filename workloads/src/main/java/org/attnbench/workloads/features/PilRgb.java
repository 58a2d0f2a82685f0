package org.attnbench.workloads.features;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * An image's RGB levels as {@code Image.open(f).convert("RGB")} gives them in PIL, which is how
 * clean-fid reads every image. {@link BufferedImage#getRGB} alone does not: it maps grayscale
 * through a linear-light colour space (so a level 128 comes out brighter) and rounds 16-bit
 * samples where PIL truncates.
 *
 * <ul>
 *   <li>Palette images: the palette's colours (alpha dropped).
 *   <li>Grayscale: the level in all three channels; 1-, 2- and 4-bit levels scaled to 0-255 as
 *       PIL unpacks them; 16-bit levels clamped at 255, as PIL's conversion from mode I;16 does.
 *   <li>Colour: 8-bit samples as they are, 16-bit samples' high byte (PIL's RGB;16B); alpha dropped,
 *       never composited.
 * </ul>
 * JPEG files are decoded by javax.imageio's decoder, PIL's by libjpeg-turbo: the two may differ
 * by a level here and there.
 */
final class PilRgb {
    private PilRgb() {}

    /** Planes [3][h * w] of levels 0-255. */
    static float[][] planes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] rgb = new float[3][w * h];
        Raster raster = image.getRaster();
        var cm = image.getColorModel();
        int bits = cm.getComponentSize(0);
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < samples.length; i++) {
                float level = gray(samples[i], bits);
                rgb[0][i] = level;
                rgb[1][i] = level;
                rgb[2][i] = level;
            }
        } else if (!(cm instanceof IndexColorModel) && bits > 8) {
            for (int c = 0; c < 3; c++) {
                int[] samples = raster.getSamples(0, 0, w, h, c, (int[]) null);
                for (int i = 0; i < samples.length; i++) rgb[c][i] = samples[i] >> (bits - 8);
            }
        } else {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                int p = argb[i];
                rgb[0][i] = (p >> 16) & 0xff;
                rgb[1][i] = (p >> 8) & 0xff;
                rgb[2][i] = p & 0xff;
            }
        }
        return rgb;
    }

    private static float gray(int sample, int bits) {
        if (bits == 8) return sample;
        if (bits > 8) return Math.min(sample, 255);
        return sample * 255 / ((1 << bits) - 1);
    }
}
