package org.attnbench.models.inputs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Token maps [B][N][C] (N = h * w, token index = row * w + col) that feed attention workloads.
 *
 * <p>Gaussian maps are i.i.d. N(0, 1). They carry no spatial structure, so ToDo and ToMe, which
 * bet on neighbouring tokens being alike, look worse on them than on real latents. Image maps
 * give realistic spatial correlation without a VAE or a trained UNet, from photographs or from
 * {@link SyntheticImages} (made here, at the grid's size, so steps 1 and 2 do not apply); the
 * recipe, which any fidelity number made with them depends on, is:
 *
 * <ol>
 *   <li>Read the photo with {@code javax.imageio} ({@link BufferedImage#getRGB}, i.e. sRGB, alpha
 *       ignored). The Debian package mate-backgrounds installs suitable ones under
 *       {@code /usr/share/backgrounds/mate/nature}.
 *   <li>Resize to w x h by area averaging: each output pixel is the mean of the source pixels it
 *       covers, partially covered pixels weighted by the covered fraction (a box filter, like
 *       OpenCV's INTER_AREA; exact for any size ratio, so widths and heights that are not
 *       multiples of w and h are fine). The aspect ratio is not kept.
 *   <li>Map each channel from [0, 255] to [-1, 1]: {@code v / 127.5 - 1}.
 *   <li>Project the 4 inputs (r, g, b, 1) to C channels with a fixed matrix P [C][4] whose entries
 *       are N(0, 1) / sqrt(4) from {@code new java.util.Random(seed).nextGaussian()}, row by row:
 *       {@code token[c] = sum_k P[c][k] * in[k]}. The constant input acts as a per-channel bias.
 *   <li>Batch element b uses image {@code b mod images.size()}; with one image every element is
 *       the same map.
 * </ol>
 *
 * <p>java.util.Random's algorithms are fixed by its javadoc, so a seed gives the same map on
 * every JDK.
 */
public final class TokenMaps {

    /** Inputs of the projection: r, g, b and a constant 1. */
    private static final int PROJECTION_INPUTS = 4;

    private TokenMaps() {}

    /** I.i.d. N(0, 1) entries from {@code new Random(seed).nextGaussian()} in [b][n][c] order. */
    public static double[][][] gaussian(long seed, int batch, int h, int w, int channels) {
        Random rng = new Random(seed);
        double[][][] x = new double[batch][h * w][channels];
        for (double[][] element : x) {
            for (double[] token : element) {
                for (int c = 0; c < channels; c++) {
                    token[c] = rng.nextGaussian();
                }
            }
        }
        return x;
    }

    /** A map from one photo, the same for every batch element (see the class comment). */
    public static double[][][] fromImage(Path image, long seed, int batch, int h, int w, int channels)
            throws IOException {
        return fromImage(List.of(image), seed, batch, h, w, channels);
    }

    /** A map from photos, element b from image {@code b mod images.size()} (see the class comment). */
    public static double[][][] fromImage(
            List<Path> images, long seed, int batch, int h, int w, int channels) throws IOException {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images given");
        }
        double[][][] rgb = new double[images.size()][][];
        for (int i = 0; i < images.size(); i++) rgb[i] = rgbGrid(read(images.get(i)), h, w);
        return fromRgb(rgb, seed, batch, channels);
    }

    /**
     * A map from {@link SyntheticImages}: batch element b from the image of seed {@code imageSeed + b},
     * projected like a photo with {@code projectionSeed}.
     */
    public static double[][][] synthetic(long imageSeed, long projectionSeed, int batch, int h, int w, int channels) {
        double[][][] rgb = new double[batch][][];
        for (int b = 0; b < batch; b++) rgb[b] = SyntheticImages.rgbGrid(imageSeed + b, h, w);
        return fromRgb(rgb, projectionSeed, batch, channels);
    }

    /** RGB grids [image][h * w][3] projected to C channels; element b from image {@code b mod images}. */
    private static double[][][] fromRgb(double[][][] rgb, long seed, int batch, int channels) {
        double[][] projection = projection(seed, channels);
        double[][][] perImage = new double[rgb.length][][];
        for (int i = 0; i < rgb.length; i++) perImage[i] = project(rgb[i], projection);
        double[][][] x = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            double[][] src = perImage[b % perImage.length];
            x[b] = new double[src.length][];
            for (int t = 0; t < src.length; t++) {
                x[b][t] = src[t].clone();
            }
        }
        return x;
    }

    /**
     * The photo resized to w x h by area averaging, as [h * w][3] RGB values in [-1, 1] in
     * row-major order.
     */
    public static double[][] rgbGrid(BufferedImage image, int h, int w) {
        int srcW = image.getWidth();
        int srcH = image.getHeight();
        int[] argb = image.getRGB(0, 0, srcW, srcH, null, 0, srcW);
        double[][] colX = boxWeights(srcW, w);
        double[][] rowY = boxWeights(srcH, h);
        // Horizontal pass: [srcH][w][3].
        int[][] colSupport = new int[w][];
        for (int ox = 0; ox < w; ox++) {
            colSupport[ox] = support(colX[ox]); // skip the zero weights of wide photos
        }
        double[][][] rows = new double[srcH][w][3];
        for (int y = 0; y < srcH; y++) {
            for (int ox = 0; ox < w; ox++) {
                for (int x = colSupport[ox][0]; x < colSupport[ox][1]; x++) {
                    double wt = colX[ox][x];
                    if (wt == 0) {
                        continue;
                    }
                    int p = argb[y * srcW + x];
                    rows[y][ox][0] += wt * ((p >> 16) & 0xff);
                    rows[y][ox][1] += wt * ((p >> 8) & 0xff);
                    rows[y][ox][2] += wt * (p & 0xff);
                }
            }
        }
        // Vertical pass and the [0, 255] -> [-1, 1] map.
        double[][] out = new double[h * w][3];
        for (int oy = 0; oy < h; oy++) {
            for (int y = 0; y < srcH; y++) {
                double wt = rowY[oy][y];
                if (wt == 0) {
                    continue;
                }
                for (int ox = 0; ox < w; ox++) {
                    for (int k = 0; k < 3; k++) {
                        out[oy * w + ox][k] += wt * rows[y][ox][k];
                    }
                }
            }
        }
        for (double[] pixel : out) {
            for (int k = 0; k < 3; k++) {
                pixel[k] = pixel[k] / 127.5 - 1.0;
            }
        }
        return out;
    }

    /** Flattens [B][N][C] to a float array in the same (row-major) order. */
    public static float[] flatten(double[][][] x) {
        int n = x[0].length;
        int c = x[0][0].length;
        float[] flat = new float[x.length * n * c];
        int i = 0;
        for (double[][] element : x) {
            for (double[] token : element) {
                for (int k = 0; k < c; k++) {
                    flat[i++] = (float) token[k];
                }
            }
        }
        return flat;
    }

    /** The inverse of {@link #flatten}: a row-major [B * N * C] float array back to [B][N][C]. */
    public static double[][][] unflatten(float[] flat, int batch, int tokens, int channels) {
        if (flat.length != batch * tokens * channels) {
            throw new IllegalArgumentException("expected " + batch + "*" + tokens + "*" + channels
                    + " values, got " + flat.length);
        }
        double[][][] x = new double[batch][tokens][channels];
        int i = 0;
        for (double[][] element : x) {
            for (double[] token : element) {
                for (int k = 0; k < channels; k++) {
                    token[k] = flat[i++];
                }
            }
        }
        return x;
    }

    /**
     * Box-filter weights [out][in]: output pixel o covers the source interval
     * [o * in / out, (o + 1) * in / out); each source pixel weighs its covered length over the
     * interval's length, so each row sums to 1.
     */
    static double[][] boxWeights(int in, int out) {
        double[][] m = new double[out][in];
        double step = (double) in / out;
        for (int o = 0; o < out; o++) {
            double lo = o * step;
            double hi = (o + 1) * step;
            for (int i = (int) Math.floor(lo); i < Math.min(in, (int) Math.ceil(hi)); i++) {
                double covered = Math.min(hi, i + 1) - Math.max(lo, i);
                if (covered > 0) {
                    m[o][i] = covered / step;
                }
            }
        }
        return m;
    }

    /** [first, end) of the nonzero entries of a weight row. */
    private static int[] support(double[] weights) {
        int first = 0;
        while (first < weights.length && weights[first] == 0) {
            first++;
        }
        int end = weights.length;
        while (end > first && weights[end - 1] == 0) {
            end--;
        }
        return new int[] {first, end};
    }

    private static double[][] projection(long seed, int channels) {
        Random rng = new Random(seed);
        double[][] p = new double[channels][PROJECTION_INPUTS];
        double scale = 1.0 / Math.sqrt(PROJECTION_INPUTS);
        for (double[] row : p) {
            for (int k = 0; k < PROJECTION_INPUTS; k++) {
                row[k] = scale * rng.nextGaussian();
            }
        }
        return p;
    }

    private static double[][] project(double[][] rgb, double[][] projection) {
        double[][] tokens = new double[rgb.length][projection.length];
        for (int t = 0; t < rgb.length; t++) {
            double[] in = {rgb[t][0], rgb[t][1], rgb[t][2], 1.0};
            for (int c = 0; c < projection.length; c++) {
                double acc = 0;
                for (int k = 0; k < PROJECTION_INPUTS; k++) {
                    acc += projection[c][k] * in[k];
                }
                tokens[t][c] = acc;
            }
        }
        return tokens;
    }

    private static BufferedImage read(Path path) throws IOException {
        BufferedImage image = ImageIO.read(path.toFile());
        if (image == null) {
            throw new IOException("no ImageIO reader for " + path);
        }
        return image;
    }
}
