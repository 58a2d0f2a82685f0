package org.attnbench.metrics.features;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The Frechet distance between two Gaussians fitted to feature sets, the quantity behind FID:
 * {@code d^2 = |mu1 - mu2|^2 + Tr(C1 + C2 - 2 sqrt(C1 C2))}, covariances with N - 1.
 *
 * <p>Tr sqrt(C1 C2) is computed from factors: for any C1 = F1^T F1 and C2 = F2^T F2 the
 * eigenvalues of C1 C2 are the squared singular values of F1 F2^T, so the trace is the sum of
 * those singular values (the nuclear norm of F1 F2^T). A set with fewer rows than features
 * (a few dozen images against 2048 Inception features) is its own factor, its centred rows
 * divided by sqrt(N - 1) (O(N1 N2 D) instead of O(D^3)); otherwise the factor is
 * diag(sqrt(l)) V^T from the covariance's symmetric eigendecomposition (eigenvalues l, rounding
 * below zero clipped).
 *
 * <p>It is the same quantity pytorch-fid and clean-fid take as the trace of scipy's sqrtm(C1 C2)
 * (which also drops the imaginary parts rounding leaves) and torch-fidelity as the sum of the
 * square roots of C1 C2's eigenvalues; only rounding differs (1e-6 relative or less where C1 C2
 * is well conditioned; on rank-deficient sets sqrtm warns and can be less accurate than this).
 * The product's own, non-symmetric eigendecomposition is avoided: commons-math's returned
 * complex pairs for a 48-d product whose eigenvalues are all real. A score is only "FID" with the
 * standard Inception features; reports call it FID-like otherwise.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    public static double between(double[][] a, double[][] b) {
        FeatureSets.check(a, "feature set A");
        FeatureSets.check(b, "feature set B");
        FeatureStats.requireSameWidth(a[0].length, b[0].length);
        int d = a[0].length;
        double[] meanA = mean(a);
        double[] meanB = mean(b);
        RealMatrix fa = a.length <= d ? centredScaled(a, meanA) : factor(FeatureStats.of(a, "feature set A").covariance());
        RealMatrix fb = b.length <= d ? centredScaled(b, meanB) : factor(FeatureStats.of(b, "feature set B").covariance());
        return meanTerm(meanA, meanB) + squaredNorm(fa) + squaredNorm(fb) - 2 * nuclearNorm(fa.multiply(fb.transpose()));
    }

    public static double between(FeatureStats a, FeatureStats b) {
        FeatureStats.requireSameDimension(a, b);
        RealMatrix fa = factor(a.covariance());
        RealMatrix fb = factor(b.covariance());
        return meanTerm(a.mean(), b.mean()) + a.covariance().getTrace() + b.covariance().getTrace()
                - 2 * nuclearNorm(fa.multiply(fb.transpose()));
    }

    /**
     * A fixed set's side of the distance, prepared once (its covariance's factor is an eigendecomposition
     * of D x D), for scoring many sets against it.
     */
    public record Prepared(double[] mean, double trace, RealMatrix factor) {
        public int dimension() {
            return mean.length;
        }
    }

    public static Prepared prepare(FeatureStats set) {
        return new Prepared(set.mean(), set.covariance().getTrace(), factor(set.covariance()));
    }

    /** The distance between the rows {@code a} and a prepared set. */
    public static double between(double[][] a, Prepared b) {
        FeatureSets.check(a, "feature set A");
        FeatureStats.requireSameWidth(a[0].length, b.dimension());
        double[] meanA = mean(a);
        RealMatrix fa = a.length <= a[0].length ? centredScaled(a, meanA) : factor(FeatureStats.of(a, "feature set A").covariance());
        return meanTerm(meanA, b.mean()) + squaredNorm(fa) + b.trace() - 2 * nuclearNorm(fa.multiply(b.factor().transpose()));
    }

    /** diag(sqrt(l)) V^T of a covariance C = V diag(l) V^T, so that C = F^T F. */
    static RealMatrix factor(RealMatrix covariance) {
        EigenDecomposition e = new EigenDecomposition(covariance);
        double[] l = e.getRealEigenvalues();
        RealMatrix f = e.getVT().copy();
        for (int i = 0; i < l.length; i++) {
            double root = Math.sqrt(Math.max(l[i], 0));
            for (int j = 0; j < f.getColumnDimension(); j++) f.multiplyEntry(i, j, root);
        }
        return f;
    }

    private static double nuclearNorm(RealMatrix m) {
        double sum = 0;
        for (double s : new SingularValueDecomposition(m).getSingularValues()) sum += s;
        return sum;
    }

    private static double meanTerm(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) sum += (a[k] - b[k]) * (a[k] - b[k]);
        return sum;
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) for (int k = 0; k < m.length; k++) m[k] += row[k];
        for (int k = 0; k < m.length; k++) m[k] /= x.length;
        return m;
    }

    /** The centred rows divided by sqrt(N - 1): C = F^T F. */
    private static RealMatrix centredScaled(double[][] x, double[] mean) {
        double scale = 1 / Math.sqrt(x.length - 1);
        double[][] out = new double[x.length][mean.length];
        for (int i = 0; i < x.length; i++) for (int k = 0; k < mean.length; k++) out[i][k] = (x[i][k] - mean[k]) * scale;
        return new Array2DRowRealMatrix(out, false);
    }

    private static double squaredNorm(RealMatrix x) {
        double f = x.getFrobeniusNorm();
        return f * f;
    }
}
