package org.attnbench.metrics.features;

import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;

/** Feature sets as the scores take them, and the checks every score shares. */
public final class FeatureSets {
    private FeatureSets() {}

    /** The rows of a feature tensor [N, D]. */
    public static double[][] rows(HostTensor features) {
        long[] s = features.shape();
        if (s.length != 2) throw new IllegalArgumentException("features must be [N, D], got " + features);
        int n = (int) s[0];
        int d = (int) s[1];
        double[] flat = features.toDoubles();
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, rows[i], 0, d);
        return rows;
    }

    /** At least two rows, all of the same width, all finite. */
    static void check(double[][] features, String what) {
        if (features.length < 2) {
            throw new UserError(what + " has " + features.length + " feature rows; at least 2 are needed for a covariance");
        }
        int d = features[0].length;
        if (d == 0) throw new UserError(what + " has zero-width features");
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != d) throw new UserError(what + ": row " + i + " has width " + features[i].length + ", not " + d);
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(features[i][j])) {
                    throw new UserError(what + ": feature [" + i + ", " + j + "] is " + features[i][j] + " (the extractor produced a non-finite value)");
                }
            }
        }
    }
}
