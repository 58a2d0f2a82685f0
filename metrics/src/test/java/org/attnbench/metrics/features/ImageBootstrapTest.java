package org.attnbench.metrics.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageBootstrapTest {
    @Test
    void theMeansIntervalHasTheWidthTheCentralLimitTheoremGives() {
        Random r = new Random(3);
        double[] x = new double[400];
        for (int i = 0; i < x.length; i++) x[i] = 2 + r.nextGaussian();
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1));
        double[] ci = ImageBootstrap.mean(x, false);
        assertTrue(ci[0] < mean && mean < ci[1], java.util.Arrays.toString(ci));
        double expected = 2 * 1.96 * sd / Math.sqrt(x.length);
        assertEquals(expected, ci[1] - ci[0], 0.15 * expected, "about 2 x 1.96 sigma / sqrt(N)");
        assertArrayEquals(ci, ImageBootstrap.mean(x, false), "seeded: the same draws every time");
    }

    @Test
    void aConstantGivesAPointAndClipScoresClampAtZero() {
        assertArrayEquals(new double[] {0.25, 0.25}, ImageBootstrap.mean(new double[] {0.25, 0.25, 0.25}, false), 1e-15);
        assertArrayEquals(new double[] {0, 0}, ImageBootstrap.mean(new double[] {-3, -1, -2}, true), 0, "max(mean, 0)");
        assertTrue(Double.isNaN(ImageBootstrap.mean(new double[] {1}, false)[0]), "no interval from one image");
    }

    @Test
    void kidFromKernelMatricesEqualsTheDirectEstimateOnTheSameRows() {
        double[][] a = FrechetDistanceTest.gaussian(1, 30, new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1});
        double[][] b = FrechetDistanceTest.gaussian(2, 30, new double[] {0.5, 0, 0, 0}, new double[] {1, 2, 1, 1});
        int[] idx = new int[30];
        for (int i = 0; i < idx.length; i++) idx[i] = (7 * i + 3) % 30;
        double[][] ai = new double[30][];
        double[][] bi = new double[30][];
        for (int i = 0; i < 30; i++) {
            ai[i] = a[idx[i]];
            bi[i] = b[idx[i]];
        }
        double fromKernels = ImageBootstrap.mmd2(ImageBootstrap.kernel(a, a), ImageBootstrap.kernel(b, b), ImageBootstrap.kernel(a, b),
                idx, idx);
        assertEquals(KernelInceptionDistance.mmd2(ai, bi), fromKernels, 1e-12 * Math.abs(fromKernels) + 1e-12);
    }

    @Test
    void scoresOfOneDistributionSitLowerThanOfTwo() {
        double[] zero = new double[6];
        double[] ones = {1, 1, 1, 1, 1, 1};
        double[][] cell = FrechetDistanceTest.gaussian(4, 60, zero, ones);
        double[][] same = FrechetDistanceTest.gaussian(5, 60, zero, ones);
        double[][] apart = FrechetDistanceTest.gaussian(6, 60, new double[] {2, 2, 0, 0, 0, 0}, ones);
        double[] fidSame = ImageBootstrap.fidPaired(cell, same);
        double[] fidApart = ImageBootstrap.fidPaired(cell, apart);
        assertTrue(fidSame[1] < fidApart[0], java.util.Arrays.toString(fidSame) + " vs " + java.util.Arrays.toString(fidApart));
        double point = FrechetDistance.between(cell, apart);
        assertTrue(fidApart[0] < point && point < fidApart[1] * 1.5, point + " and " + java.util.Arrays.toString(fidApart));
        double[] kidSame = ImageBootstrap.kidPaired(cell, same);
        double[] kidApart = ImageBootstrap.kidPaired(cell, apart);
        assertTrue(kidSame[1] < kidApart[0], java.util.Arrays.toString(kidSame) + " vs " + java.util.Arrays.toString(kidApart));
        double[][] set = FrechetDistanceTest.gaussian(7, 1500, zero, ones);
        double[] toSet = ImageBootstrap.fidToSet(apart, FrechetDistance.prepare(FeatureStats.of(set, "set")));
        double[] kidToSet = ImageBootstrap.kidToSet(apart, set);
        assertTrue(toSet[0] > fidSame[1] && kidToSet[0] > kidSame[1], java.util.Arrays.toString(toSet) + " " + java.util.Arrays.toString(kidToSet));
    }
}
