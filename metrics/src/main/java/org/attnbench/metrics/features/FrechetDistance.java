package org.attnbench.metrics.features;

import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Frechet distance between two Gaussians fitted to feature sets, the quantity behind FID:
 * {@code d^2 = |mu1 - mu2|^2 + Tr(C1 + C2 - 2 sqrt(C1 C2))}.
 *
 * <p>Tr(sqrt(C1 C2)) is the sum of the square roots of the eigenvalues of C1 C2, torch-fidelity's
 * method: the product of two covariance matrices is similar to the symmetric sqrt(C1) C2 sqrt(C1),
 * so its eigenvalues are real and non-negative; rounding can leave tiny negative or imaginary
 * parts, which are dropped. A score is only "FID" with the standard Inception features; reports
 * call it FID-like otherwise.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    public static double between(double[][] a, double[][] b) {
        return between(FeatureStats.of(a, "feature set A"), FeatureStats.of(b, "feature set B"));
    }

    public static double between(FeatureStats a, FeatureStats b) {
        FeatureStats.requireSameDimension(a, b);
        double meanTerm = 0;
        for (int i = 0; i < a.dimension(); i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
        }
        RealMatrix c1 = a.covariance();
        RealMatrix c2 = b.covariance();
        double[] eigenvalues = new EigenDecomposition(c1.multiply(c2)).getRealEigenvalues();
        double traceSqrt = 0;
        for (double ev : eigenvalues) traceSqrt += Math.sqrt(Math.max(ev, 0));
        return meanTerm + c1.getTrace() + c2.getTrace() - 2 * traceSqrt;
    }
}
