package org.attnbench.metrics.timing;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * "Did this change?": the two-sided Mann-Whitney U test on two sets of timings (no normality
 * assumed; commons-math3's normal approximation with tie correction).
 *
 * @param u the smaller of U1 and U2 (0 when every sample of one set beats every sample of the other)
 * @param pValue two-sided p-value
 */
public record ChangeTest(double u, double pValue) {

    public static ChangeTest mannWhitney(Samples a, Samples b) {
        MannWhitneyUTest test = new MannWhitneyUTest();
        double[] x = a.values();
        double[] y = b.values();
        // commons-math3 returns max(U1, U2); U1 + U2 = n1 * n2.
        double uMax = test.mannWhitneyU(x, y);
        return new ChangeTest((double) x.length * y.length - uMax, test.mannWhitneyUTest(x, y));
    }

    public boolean significant(double alpha) {
        return pValue < alpha;
    }
}
