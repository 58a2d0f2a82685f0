package org.attnbench.metrics.features;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.attnbench.core.UserError;

/**
 * Mean and covariance (unbiased, N-1) of a feature set [N, D], the sufficient statistics of
 * the Frechet distance.
 */
public record FeatureStats(double[] mean, RealMatrix covariance, int count) {

    public static FeatureStats of(double[][] features, String what) {
        FeatureSets.check(features, what);
        int n = features.length;
        int d = features[0].length;
        double[] mean = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) centred[j] = row[j] - mean[j];
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                for (int j = i; j < d; j++) cov[i][j] += ci * centred[j];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= n - 1;
                cov[j][i] = cov[i][j];
            }
        }
        return new FeatureStats(mean, new Array2DRowRealMatrix(cov, false), n);
    }

    public int dimension() {
        return mean.length;
    }

    /** Features must have the same width to be compared. */
    static void requireSameDimension(FeatureStats a, FeatureStats b) {
        requireSameWidth(a.dimension(), b.dimension());
    }

    static void requireSameWidth(int a, int b) {
        if (a != b) {
            throw new UserError("feature sets have different widths: " + a + " and " + b
                    + " (were they made by the same extractor?)");
        }
    }
}
