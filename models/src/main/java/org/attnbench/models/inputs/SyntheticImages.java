package org.attnbench.models.inputs;

import java.util.Random;

/**
 * Seeded colour images with the amplitude spectrum of natural photographs, made here so that an
 * attention workload has realistic inputs with nothing installed.
 *
 * <p>Natural images have a power spectrum that falls as 1/f^2 (amplitude 1/f) with spatial
 * frequency f, nearly the same in every direction (Field 1987; van der Schaaf and van Hateren
 * 1996): neighbouring pixels are alike, and so are neighbouring tokens, the premise that ToDo and
 * ToMe rest on. Each image is made by spectral synthesis:
 *
 * <ol>
 *   <li>three fields (luminance and two opponent-colour channels) on the h x w grid, each the real
 *       part of the inverse DFT of coefficients with amplitude 1/f (f in cycles per pixel of the
 *       periodic grid, the DC term zero) and N(0, 1) real and imaginary parts, drawn frequency by
 *       frequency in row-major order from {@code new java.util.Random(seed)};
 *   <li>each field shifted and scaled to mean 0 and standard deviation 1;
 *   <li>colour as photographs have it, mostly shared luminance with weaker opponent colour:
 *       r = 0.4 L + 0.12 a, g = 0.4 L - 0.06 a + 0.08 b, b = 0.4 L - 0.06 a - 0.16 b, clipped to [-1, 1].
 * </ol>
 *
 * The DFT is computed directly, one axis at a time (O(h w (h + w)), fast enough for every grid a
 * UNet level has).
 */
public final class SyntheticImages {
    /** How much of the range luminance spans, and opponent colour; about a photograph's contrast. */
    private static final double LUMINANCE = 0.4;

    private SyntheticImages() {}

    /** One image as [h * w][3] RGB values in [-1, 1], row-major, the layout {@link TokenMaps#rgbGrid} gives. */
    public static double[][] rgbGrid(long seed, int h, int w) {
        Random rng = new Random(seed);
        double[] lum = field(rng, h, w);
        double[] a = field(rng, h, w);
        double[] b = field(rng, h, w);
        double[][] rgb = new double[h * w][3];
        for (int t = 0; t < h * w; t++) {
            rgb[t][0] = clip(LUMINANCE * lum[t] + 0.12 * a[t]);
            rgb[t][1] = clip(LUMINANCE * lum[t] - 0.06 * a[t] + 0.08 * b[t]);
            rgb[t][2] = clip(LUMINANCE * lum[t] - 0.06 * a[t] - 0.16 * b[t]);
        }
        return rgb;
    }

    /** A standardized 1/f field, row-major. */
    static double[] field(Random rng, int h, int w) {
        double[][] re = new double[h][w];
        double[][] im = new double[h][w];
        for (int ky = 0; ky < h; ky++) {
            for (int kx = 0; kx < w; kx++) {
                double fy = (double) Math.min(ky, h - ky) / h;
                double fx = (double) Math.min(kx, w - kx) / w;
                double f = Math.hypot(fy, fx);
                double amplitude = f == 0 ? 0 : 1 / f;
                re[ky][kx] = amplitude * rng.nextGaussian();
                im[ky][kx] = amplitude * rng.nextGaussian();
            }
        }
        inverseDft(re, im);
        double[] out = new double[h * w];
        double mean = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = re[y][x];
                mean += re[y][x];
            }
        }
        mean /= out.length;
        double var = 0;
        for (double v : out) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / out.length);
        for (int i = 0; i < out.length; i++) out[i] = std == 0 ? 0 : (out[i] - mean) / std;
        return out;
    }

    /** In place: rows, then columns (unnormalized; the field is standardized afterwards). */
    private static void inverseDft(double[][] re, double[][] im) {
        int h = re.length;
        int w = re[0].length;
        for (int y = 0; y < h; y++) transform(re[y], im[y]);
        double[] colRe = new double[h];
        double[] colIm = new double[h];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                colRe[y] = re[y][x];
                colIm[y] = im[y][x];
            }
            transform(colRe, colIm);
            for (int y = 0; y < h; y++) {
                re[y][x] = colRe[y];
                im[y][x] = colIm[y];
            }
        }
    }

    /** out[n] = sum_k in[k] e^{+2 pi i k n / N}, in place. */
    private static void transform(double[] re, double[] im) {
        int n = re.length;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int k = 0; k < n; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = Math.sin(2 * Math.PI * k / n);
        }
        double[] outRe = new double[n];
        double[] outIm = new double[n];
        for (int j = 0; j < n; j++) {
            double sr = 0;
            double si = 0;
            for (int k = 0; k < n; k++) {
                int p = (int) ((long) k * j % n);
                sr += re[k] * cos[p] - im[k] * sin[p];
                si += re[k] * sin[p] + im[k] * cos[p];
            }
            outRe[j] = sr;
            outIm[j] = si;
        }
        System.arraycopy(outRe, 0, re, 0, n);
        System.arraycopy(outIm, 0, im, 0, n);
    }

    private static double clip(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
