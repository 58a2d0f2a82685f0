package org.attnbench.metrics.features;

import org.attnbench.core.UserError;

/** Checks shared by every score over feature sets. */
final class FeatureSets {
    private FeatureSets() {}

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
