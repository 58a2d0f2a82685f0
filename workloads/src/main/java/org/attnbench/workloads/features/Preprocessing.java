package org.attnbench.workloads.features;

import java.awt.image.BufferedImage;
import java.util.Locale;
import org.attnbench.core.UserError;

/**
 * How an image becomes a network input: its RGB channels ({@link BufferedImage#getRGB}, i.e.
 * sRGB, alpha ignored, grayscale expanded to three equal channels) resized to size x size with
 * {@link Resize}'s antialiased bilinear filter (the aspect ratio is not kept: the whole image is
 * stretched to the square, as FID tools and nsfwjs do), then each 8-bit level v mapped linearly
 * to {@code low + (high - low) * v / 255}. The result is planar RGB, [3, size, size].
 *
 * @param size side of the square network input
 * @param low value of level 0
 * @param high value of level 255
 */
public record Preprocessing(int size, double low, double high) implements ImagePreprocessing {
    public Preprocessing {
        if (size < 1) throw new UserError("input size must be positive, got " + size);
        if (!(high > low)) throw new UserError("value range " + low + ".." + high + " must increase");
    }

    /** Parses "LOW,HIGH", e.g. "0,1", "-1,1" or "0,255". */
    public static double[] parseRange(String text) {
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new UserError("value range '" + text + "' must be LOW,HIGH (e.g. 0,1 or -1,1 or 0,255)");
    }

    /** The input for one image, written into {@code dest} from {@code offset} as [3, size, size]. */
    @Override
    public void fill(BufferedImage image, float[] dest, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] rgb = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            rgb[0][i] = (p >> 16) & 0xff;
            rgb[1][i] = (p >> 8) & 0xff;
            rgb[2][i] = p & 0xff;
        }
        float[][] resized = Resize.planes(rgb, h, w, size, size);
        double step = (high - low) / 255;
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) dest[offset + c * plane + i] = (float) (low + step * resized[c][i]);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d, values %s..%s", size, size, trim(low), trim(high));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
