package org.attnbench.reports.images;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Colours for token maps: each position's C values projected on the first three principal
 * components of the reference's output, as red, green and blue.
 *
 * <p>The projection (mean, components, and the scaling that maps the reference's 1st to 99th
 * percentile of each component to 0..255) is fitted once, on the reference, and applied
 * unchanged to every variant, so equal colours mean equal outputs and a variant's colour shift is
 * its error. Components are found by power iteration with deflation on the covariance of at most
 * {@value #FIT_POSITIONS} evenly spaced positions; each component's sign is fixed so that its
 * largest entry is positive, which makes the colours repeatable.
 */
public final class PcaColours {
    static final int FIT_POSITIONS = 4096;
    private static final int ITERATIONS = 200;

    private final int c;
    private final double[] mean;
    private final double[][] components;
    private final double[] low;
    private final double[] high;

    private PcaColours(int c, double[] mean, double[][] components, double[] low, double[] high) {
        this.c = c;
        this.mean = mean;
        this.components = components;
        this.low = low;
        this.high = high;
    }

    public static PcaColours fit(TokenMap reference) {
        int c = reference.c();
        int n = reference.positions();
        int step = Math.max(1, n / FIT_POSITIONS);
        int m = (n + step - 1) / step;
        double[] mean = new double[c];
        for (int p = 0; p < n; p += step) {
            for (int k = 0; k < c; k++) mean[k] += reference.get(p, k);
        }
        for (int k = 0; k < c; k++) mean[k] /= m;
        double[][] cov = new double[c][c];
        double[] x = new double[c];
        for (int p = 0; p < n; p += step) {
            for (int k = 0; k < c; k++) x[k] = reference.get(p, k) - mean[k];
            for (int i = 0; i < c; i++) {
                double xi = x[i];
                for (int j = i; j < c; j++) cov[i][j] += xi * x[j];
            }
        }
        for (int i = 0; i < c; i++) {
            for (int j = i; j < c; j++) cov[j][i] = cov[i][j] /= Math.max(1, m - 1);
        }
        double[][] comps = new double[3][];
        for (int k = 0; k < 3; k++) comps[k] = k < c ? principal(cov) : new double[c];
        PcaColours unscaled = new PcaColours(c, mean, comps, new double[3], new double[3]);
        double[] low = new double[3];
        double[] high = new double[3];
        for (int k = 0; k < 3; k++) {
            double[] proj = new double[n];
            for (int p = 0; p < n; p++) proj[p] = unscaled.project(reference, p, k);
            Arrays.sort(proj);
            low[k] = proj[(int) Math.floor(0.01 * (n - 1))];
            high[k] = proj[(int) Math.ceil(0.99 * (n - 1))];
        }
        return new PcaColours(c, mean, comps, low, high);
    }

    /** The leading eigenvector of a symmetric matrix, which is then deflated (its component removed). */
    private static double[] principal(double[][] a) {
        int c = a.length;
        double[] v = new double[c];
        for (int i = 0; i < c; i++) v[i] = 1 + 0.01 * i;
        normalize(v);
        double lambda = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            double[] next = new double[c];
            for (int i = 0; i < c; i++) {
                double s = 0;
                for (int j = 0; j < c; j++) s += a[i][j] * v[j];
                next[i] = s;
            }
            lambda = normalize(next);
            if (lambda == 0) break;
            v = next;
        }
        int largest = 0;
        for (int i = 1; i < c; i++) if (Math.abs(v[i]) > Math.abs(v[largest])) largest = i;
        if (v[largest] < 0) for (int i = 0; i < c; i++) v[i] = -v[i];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) a[i][j] -= lambda * v[i] * v[j];
        }
        return lambda == 0 ? new double[c] : v;
    }

    private static double normalize(double[] v) {
        double norm = 0;
        for (double x : v) norm += x * x;
        norm = Math.sqrt(norm);
        if (norm > 0) for (int i = 0; i < v.length; i++) v[i] /= norm;
        return norm;
    }

    double project(TokenMap map, int position, int k) {
        double s = 0;
        double[] comp = components[k];
        for (int ch = 0; ch < c; ch++) s += (map.get(position, ch) - mean[ch]) * comp[ch];
        return s;
    }

    /** The map in colours; it must have the reference's channel count. */
    public BufferedImage render(TokenMap map) {
        if (map.c() != c) throw new IllegalArgumentException(map.c() + " channels, the reference has " + c);
        BufferedImage img = new BufferedImage(map.w(), map.h(), BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < map.positions(); p++) {
            int rgb = 0;
            for (int k = 0; k < 3; k++) {
                double span = high[k] - low[k];
                double t = span > 0 ? (project(map, p, k) - low[k]) / span : 0.5;
                rgb = (rgb << 8) | (int) Math.round(255 * Math.max(0, Math.min(1, t)));
            }
            img.setRGB(p % map.w(), p / map.w(), rgb);
        }
        return img;
    }
}
