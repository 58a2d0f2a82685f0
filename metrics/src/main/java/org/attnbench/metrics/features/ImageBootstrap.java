package org.attnbench.metrics.features;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap intervals of image scores over the images: the images (with their features or
 * per-image values) are drawn with replacement as many times as the cell has them, the score is
 * computed again on each draw, and the interval is the draws' (1 - level) / 2 and (1 + level) / 2
 * quantiles. Draws are seeded, so a report is reproducible. A score compared with a reference for
 * the same prompts and seeds (MSE, FID and KID against dense) draws the same images from both sides
 * (paired); a score against a fixed set draws the cell's images only.
 *
 * <p>FID's draws recompute the distance from the drawn rows (O(N^2 D) each while N is at most D), so
 * they are made only up to {@value #FID_MAX_IMAGES} images; KID's draws reuse kernel matrices computed
 * once, with a reference set's side a seeded pool of at most {@value #KID_POOL} of its images, a
 * subset of which (as many as the cell has images) each draw compares with.
 */
public final class ImageBootstrap {
    /** Coverage of every interval. */
    public static final double LEVEL = 0.95;
    /** Draws of a mean over images (cheap). */
    public static final int MEAN_DRAWS = 2000;
    /** Draws of a feature distance. */
    public static final int FEATURE_DRAWS = 200;
    /** Above this many images FID's draws are not made (each costs O(N^2 D)). */
    public static final int FID_MAX_IMAGES = 512;
    static final int KID_POOL = 1000;
    private static final long SEED = 0;

    private ImageBootstrap() {}

    /** [low, high] of the mean of per-image values; {@code clampAtZero} takes max(mean, 0) as CLIP score does. */
    public static double[] mean(double[] perImage, boolean clampAtZero) {
        if (perImage.length < 2) return nan();
        Random r = new Random(SEED);
        double[] draws = new double[MEAN_DRAWS];
        for (int b = 0; b < MEAN_DRAWS; b++) {
            double s = 0;
            for (int i = 0; i < perImage.length; i++) s += perImage[r.nextInt(perImage.length)];
            double m = s / perImage.length;
            draws[b] = clampAtZero ? Math.max(m, 0) : m;
        }
        return quantiles(draws);
    }

    /** [low, high] of FID between images' features {@code cell} and {@code reference}, the same images drawn from both. */
    public static double[] fidPaired(double[][] cell, double[][] reference) {
        if (cell.length != reference.length || cell.length < 3 || cell.length > FID_MAX_IMAGES) return nan();
        return draws(cell.length, FEATURE_DRAWS, idx -> FrechetDistance.between(rows(cell, idx), rows(reference, idx)));
    }

    /** [low, high] of FID between the cell's features and a prepared set, the cell's images drawn. */
    public static double[] fidToSet(double[][] cell, FrechetDistance.Prepared set) {
        if (cell.length < 3 || cell.length > FID_MAX_IMAGES) return nan();
        return draws(cell.length, FEATURE_DRAWS, idx -> FrechetDistance.between(rows(cell, idx), set));
    }

    /** [low, high] of KID (unbiased MMD^2, cubic kernel) between paired images' features. */
    public static double[] kidPaired(double[][] cell, double[][] reference) {
        if (cell.length != reference.length || cell.length < 2) return nan();
        double[][] kxx = kernel(cell, cell);
        double[][] kyy = kernel(reference, reference);
        double[][] kxy = kernel(cell, reference);
        return draws(cell.length, FEATURE_DRAWS, idx -> mmd2(kxx, kyy, kxy, idx, idx));
    }

    /** [low, high] of KID between the cell's features and a reference set's, the cell's images drawn. */
    public static double[] kidToSet(double[][] cell, double[][] set) {
        if (cell.length < 2 || set.length < 2) return nan();
        double[][] pool = set.length <= KID_POOL ? set : rows(set, firstOfShuffle(set.length, KID_POOL, new Random(SEED)));
        double[][] kxx = kernel(cell, cell);
        double[][] kyy = kernel(pool, pool);
        double[][] kxy = kernel(cell, pool);
        int m = Math.min(cell.length, pool.length);
        Random subsets = new Random(SEED + 1);
        return draws(cell.length, FEATURE_DRAWS, idx -> mmd2(kxx, kyy, kxy, idx, firstOfShuffle(pool.length, m, subsets)));
    }

    private static double[] draws(int n, int count, ToDoubleFunction<int[]> score) {
        Random r = new Random(SEED);
        double[] out = new double[count];
        for (int b = 0; b < count; b++) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = r.nextInt(n);
            out[b] = score.applyAsDouble(idx);
        }
        return quantiles(out);
    }

    /** Unbiased MMD^2 of the drawn rows {@code x} of the first set and {@code y} of the second, from their kernel matrices. */
    static double mmd2(double[][] kxx, double[][] kyy, double[][] kxy, int[] x, int[] y) {
        double sxx = 0;
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x.length; j++) if (i != j) sxx += kxx[x[i]][x[j]];
        double syy = 0;
        for (int i = 0; i < y.length; i++) for (int j = 0; j < y.length; j++) if (i != j) syy += kyy[y[i]][y[j]];
        double sxy = 0;
        for (int i : x) for (int j : y) sxy += kxy[i][j];
        return sxx / ((double) x.length * (x.length - 1)) + syy / ((double) y.length * (y.length - 1))
                - 2 * sxy / ((double) x.length * y.length);
    }

    /** KID's kernel (x.y / d + 1)^3 between every row of a and of b. */
    static double[][] kernel(double[][] a, double[][] b) {
        double[][] k = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < b.length; j++) k[i][j] = KernelInceptionDistance.kernel(a[i], b[j], a[i].length);
        return k;
    }

    private static int[] firstOfShuffle(int n, int m, Random r) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, m);
    }

    private static double[][] rows(double[][] x, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) out[i] = x[idx[i]];
        return out;
    }

    private static double[] quantiles(double[] draws) {
        double[] s = draws.clone();
        Arrays.sort(s);
        return new double[] {quantile(s, (1 - LEVEL) / 2), quantile(s, (1 + LEVEL) / 2)};
    }

    /** Linear interpolation between order statistics (numpy's default). */
    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[] nan() {
        return new double[] {Double.NaN, Double.NaN};
    }
}
