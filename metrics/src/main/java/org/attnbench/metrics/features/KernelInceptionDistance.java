package org.attnbench.metrics.features;

import java.util.Random;
import org.attnbench.core.UserError;

/**
 * KID: the unbiased estimate of the squared maximum mean discrepancy between two feature sets
 * with the polynomial kernel {@code k(x, y) = (x.y / d + 1)^3}, averaged over random subsets
 * drawn without replacement (torch-fidelity's defaults are 100 subsets of 1000).
 */
public final class KernelInceptionDistance {
    /** Mean and standard deviation (population, over subsets) of the per-subset estimates. */
    public record Result(double mean, double std, int subsets, int subsetSize) {}

    private KernelInceptionDistance() {}

    public static Result between(double[][] a, double[][] b, int subsets, int subsetSize, long seed) {
        FeatureSets.check(a, "feature set A");
        FeatureSets.check(b, "feature set B");
        if (a[0].length != b[0].length) {
            throw new UserError("feature sets have different widths: " + a[0].length + " and " + b[0].length);
        }
        if (subsets < 1) throw new UserError("KID needs at least 1 subset, got " + subsets);
        int limit = Math.min(a.length, b.length);
        if (subsetSize < 2 || subsetSize > limit) {
            throw new UserError("KID subset size " + subsetSize + " must be between 2 and the smaller set's "
                    + limit + " rows (lower --kid-subset-size)");
        }
        Random rnd = new Random(seed);
        double[] estimates = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            estimates[s] = mmd2(pick(a, subsetSize, rnd), pick(b, subsetSize, rnd));
        }
        double mean = 0;
        for (double e : estimates) mean += e;
        mean /= subsets;
        double var = 0;
        for (double e : estimates) var += (e - mean) * (e - mean);
        return new Result(mean, Math.sqrt(var / subsets), subsets, subsetSize);
    }

    /** Unbiased MMD^2: within-set kernel sums exclude the diagonal. */
    static double mmd2(double[][] x, double[][] y) {
        int m = x.length;
        int d = x[0].length;
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    kxx += kernel(x[i], x[j], d);
                    kyy += kernel(y[i], y[j], d);
                }
                kxy += kernel(x[i], y[j], d);
            }
        }
        return (kxx + kyy) / ((double) m * (m - 1)) - 2 * kxy / ((double) m * m);
    }

    static double kernel(double[] x, double[] y, int d) {
        double dot = 0;
        for (int k = 0; k < d; k++) dot += x[k] * y[k];
        double base = dot / d + 1;
        return base * base * base;
    }

    /** m distinct rows, chosen by a partial Fisher-Yates shuffle. */
    private static double[][] pick(double[][] rows, int m, Random rnd) {
        int[] idx = new int[rows.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out[i] = rows[idx[i]];
        }
        return out;
    }
}
