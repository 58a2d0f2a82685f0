package org.attnbench.metrics.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {
    /** Rows of N(mean, diag(variance)). */
    static double[][] gaussian(long seed, int n, double[] mean, double[] variance) {
        Random r = new Random(seed);
        double[][] x = new double[n][mean.length];
        for (double[] row : x) {
            for (int j = 0; j < mean.length; j++) row[j] = mean[j] + Math.sqrt(variance[j]) * r.nextGaussian();
        }
        return x;
    }

    /** Correlated features: a random linear mix of Gaussians. */
    static double[][] mixed(long seed, int n, int d) {
        Random r = new Random(seed);
        double[][] mix = new double[d][d];
        for (double[] row : mix) for (int j = 0; j < d; j++) row[j] = r.nextGaussian();
        double[][] x = new double[n][d];
        for (double[] row : x) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) z[j] = r.nextGaussian();
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) row[i] += mix[i][j] * z[j];
            row[0] += 0.5;
        }
        return x;
    }

    @Test
    void identicalSetsAreZeroApart() {
        double[][] a = mixed(1, 200, 6);
        assertEquals(0, FrechetDistance.between(a, a), 1e-9);
    }

    @Test
    void isSymmetric() {
        double[][] a = mixed(1, 300, 5);
        double[][] b = mixed(2, 250, 5);
        assertEquals(FrechetDistance.between(a, b), FrechetDistance.between(b, a), 1e-9);
    }

    @Test
    void largeGaussianSamplesApproachTheClosedForm() {
        double[] m1 = {0, 1, -1, 2};
        double[] m2 = {0.5, 1, 0, 2};
        double[] v1 = {1, 2, 0.5, 1};
        double[] v2 = {2, 2, 1, 0.25};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += (m1[i] - m2[i]) * (m1[i] - m2[i]) + v1[i] + v2[i] - 2 * Math.sqrt(v1[i] * v2[i]);
        }
        double measured = FrechetDistance.between(gaussian(3, 100_000, m1, v1), gaussian(4, 100_000, m2, v2));
        assertEquals(expected, measured, 0.02 * expected);
    }

    @Test
    void agreesWithTheSymmetricSquareRootFormulation() {
        double[][] a = mixed(5, 400, 8);
        double[][] b = mixed(6, 500, 8);
        FeatureStats sa = FeatureStats.of(a, "a");
        FeatureStats sb = FeatureStats.of(b, "b");
        // Independent route: Tr sqrt(C1 C2) = Tr sqrt(sqrt(C1) C2 sqrt(C1)), all symmetric.
        double expected = symmetricRoute(sa, sb);
        double actual = FrechetDistance.between(sa, sb);
        assertEquals(expected, actual, 1e-6 * Math.abs(expected));
        assertTrue(actual > 0);
    }

    /** The symmetric route: |mu1 - mu2|^2 + Tr C1 + Tr C2 - 2 Tr sqrt(sqrt(C1) C2 sqrt(C1)). */
    static double symmetricRoute(FeatureStats sa, FeatureStats sb) {
        RealMatrix root1 = psdSquareRoot(sa.covariance());
        RealMatrix inner = root1.multiply(sb.covariance()).multiply(root1);
        double traceSqrt = 0;
        for (double ev : new EigenDecomposition(inner.add(inner.transpose()).scalarMultiply(0.5)).getRealEigenvalues()) {
            traceSqrt += Math.sqrt(Math.max(ev, 0));
        }
        double meanTerm = 0;
        for (int i = 0; i < sa.dimension(); i++) meanTerm += Math.pow(sa.mean()[i] - sb.mean()[i], 2);
        return meanTerm + sa.covariance().getTrace() + sb.covariance().getTrace() - 2 * traceSqrt;
    }

    /** V diag(sqrt(max(l, 0))) V^T: rounding leaves tiny negative eigenvalues in singular covariances. */
    static RealMatrix psdSquareRoot(RealMatrix c) {
        EigenDecomposition e = new EigenDecomposition(c);
        double[] roots = e.getRealEigenvalues().clone();
        for (int i = 0; i < roots.length; i++) roots[i] = Math.sqrt(Math.max(roots[i], 0));
        return e.getV().multiply(MatrixUtils.createRealDiagonalMatrix(roots)).multiply(e.getVT());
    }

    @Test
    void agreesWithTheSymmetricRouteAtWidthsWhereCommonsMathsNonSymmetricEigenvaluesGoComplex() {
        // At d = 48 commons-math's general eigendecomposition of C1 C2 returned complex pairs
        // (imaginary parts in the hundreds) for a product whose eigenvalues are all real.
        double[][] a = mixed(11, 300, 48);
        double[][] b = mixed(12, 280, 48);
        double expected = symmetricRoute(FeatureStats.of(a, "a"), FeatureStats.of(b, "b"));
        assertEquals(expected, FrechetDistance.between(a, b), 1e-6 * expected);
        assertEquals(expected, FrechetDistance.between(FeatureStats.of(a, "a"), FeatureStats.of(b, "b")), 1e-6 * expected);
    }

    @Test
    void aPreparedSetGivesTheSameDistanceForFewOrManyRows() {
        double[][] set = mixed(13, 200, 12);
        FrechetDistance.Prepared prepared = FrechetDistance.prepare(FeatureStats.of(set, "set"));
        for (double[][] cell : new double[][][] {mixed(14, 7, 12), mixed(15, 150, 12)}) {
            double expected = symmetricRoute(FeatureStats.of(cell, "cell"), FeatureStats.of(set, "set"));
            assertEquals(expected, FrechetDistance.between(cell, prepared), 1e-6 * expected);
        }
    }

    @Test
    void fewerRowsThanFeaturesTakeTheLowRankRouteToTheSameValue() {
        // Rank-deficient covariances: the general eigendecomposition of C1 C2 need not even converge here.
        double[][] a = mixed(7, 9, 40);
        double[][] b = mixed(8, 13, 40);
        double full = symmetricRoute(FeatureStats.of(a, "a"), FeatureStats.of(b, "b"));
        assertEquals(full, FrechetDistance.between(a, b), 1e-6 * full);
        assertEquals(0, FrechetDistance.between(a, a), 1e-9 * full);
        assertTrue(full > 0);
    }

    @Test
    void covarianceUsesNMinusOne() {
        FeatureStats s = FeatureStats.of(new double[][] {{1}, {3}}, "x");
        assertEquals(2.0, s.mean()[0]);
        assertEquals(2.0, s.covariance().getEntry(0, 0)); // ((1-2)^2 + (3-2)^2) / (2-1)
    }

    @Test
    void badFeatureSetsAreUserErrors() {
        UserError width = assertThrows(UserError.class,
                () -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1}, {2}}));
        assertTrue(width.getMessage().contains("different widths: 2 and 1"), width.getMessage());
        UserError rows = assertThrows(UserError.class,
                () -> FrechetDistance.between(new double[][] {{1, 2}}, new double[][] {{1, 2}, {3, 4}}));
        assertTrue(rows.getMessage().contains("has 1 feature rows; at least 2"), rows.getMessage());
        UserError nan = assertThrows(UserError.class,
                () -> FrechetDistance.between(new double[][] {{1, 2}, {Double.NaN, 4}}, new double[][] {{1, 2}, {3, 4}}));
        assertTrue(nan.getMessage().contains("feature [1, 0] is NaN"), nan.getMessage());
    }
}
