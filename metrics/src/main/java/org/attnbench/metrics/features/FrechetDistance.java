package org.attnbench.metrics.features;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The Frechet distance between two Gaussians fitted to feature sets, the quantity behind FID:
 * {@code d^2 = |mu1 - mu2|^2 + Tr(C1 + C2 - 2 sqrt(C1 C2))}.
 *
 * <p>Tr(sqrt(C1 C2)) is the sum of the square roots of the eigenvalues of C1 C2, torch-fidelity's
 * method: the product of two covariance matrices is similar to the symmetric sqrt(C1) C2 sqrt(C1),
 * so its eigenvalues are real and non-negative; rounding can leave tiny negative or imaginary
 * parts, which are dropped. A score is only "FID" with the standard Inception features; reports
 * call it FID-like otherwise.
 *
 * <p>With fewer rows than features (a few dozen images against 2048 Inception features) the
 * covariances have low rank, and the same trace comes from an N1 x N2 matrix instead of D x D
 * ones: with A [N1, D] and B [N2, D] the centred rows divided by sqrt(N - 1), C1 = A^T A and
 * C2 = B^T B, the nonzero eigenvalues of C1 C2 are those of (A B^T)(A B^T)^T, so Tr sqrt(C1 C2)
 * is the sum of the singular values of A B^T, and Tr C1 = |A|_F^2. That costs O(N1 N2 D)
 * instead of O(D^3) (seconds instead of minutes at D = 2048).
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    public static double between(double[][] a, double[][] b) {
        FeatureSets.check(a, "feature set A");
        FeatureSets.check(b, "feature set B");
        FeatureStats.requireSameWidth(a[0].length, b[0].length);
        if (Math.max(a.length, b.length) < a[0].length) return lowRank(a, b);
        return between(FeatureStats.of(a, "feature set A"), FeatureStats.of(b, "feature set B"));
    }

    /** The low-rank route of the class comment; same value as the covariance route. */
    static double lowRank(double[][] a, double[][] b) {
        int d = a[0].length;
        double[] meanA = mean(a);
        double[] meanB = mean(b);
        double[][] ca = centredScaled(a, meanA);
        double[][] cb = centredScaled(b, meanB);
        double[][] cross = new double[ca.length][cb.length];
        for (int i = 0; i < ca.length; i++) {
            for (int j = 0; j < cb.length; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += ca[i][k] * cb[j][k];
                cross[i][j] = dot;
            }
        }
        double traceSqrt = 0;
        for (double s : new SingularValueDecomposition(new Array2DRowRealMatrix(cross, false)).getSingularValues()) traceSqrt += s;
        double meanTerm = 0;
        for (int k = 0; k < d; k++) meanTerm += (meanA[k] - meanB[k]) * (meanA[k] - meanB[k]);
        return meanTerm + squaredNorm(ca) + squaredNorm(cb) - 2 * traceSqrt;
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) for (int k = 0; k < m.length; k++) m[k] += row[k];
        for (int k = 0; k < m.length; k++) m[k] /= x.length;
        return m;
    }

    private static double[][] centredScaled(double[][] x, double[] mean) {
        double scale = 1 / Math.sqrt(x.length - 1);
        double[][] out = new double[x.length][mean.length];
        for (int i = 0; i < x.length; i++) for (int k = 0; k < mean.length; k++) out[i][k] = (x[i][k] - mean[k]) * scale;
        return out;
    }

    private static double squaredNorm(double[][] x) {
        double s = 0;
        for (double[] row : x) for (double v : row) s += v * v;
        return s;
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
