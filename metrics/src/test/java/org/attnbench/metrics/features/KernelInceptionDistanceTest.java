package org.attnbench.metrics.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;

class KernelInceptionDistanceTest {
    @Test
    void mmdOfTwoTinySetsByHand() {
        // d = 1: k(x, y) = (x*y + 1)^3. X = {0, 1}, Y = {1, 2}.
        double[][] x = {{0}, {1}};
        double[][] y = {{1}, {2}};
        double kxx = 2 * Math.pow(0 * 1 + 1, 3);                 // off-diagonal pairs (0,1), (1,0)
        double kyy = 2 * Math.pow(1 * 2 + 1, 3);
        double kxy = Math.pow(1, 3) + Math.pow(1, 3) + Math.pow(2, 3) + Math.pow(3, 3); // 0*1, 0*2, 1*1, 1*2
        double expected = (kxx + kyy) / 2 - 2 * kxy / 4;
        assertEquals(expected, KernelInceptionDistance.mmd2(x, y), 1e-12);
    }

    @Test
    void nearZeroForOneDistributionAndPositiveForTwo() {
        double[][] a = FrechetDistanceTest.gaussian(1, 600, new double[] {0, 0, 0}, new double[] {1, 1, 1});
        double[][] b = FrechetDistanceTest.gaussian(2, 600, new double[] {0, 0, 0}, new double[] {1, 1, 1});
        double[][] c = FrechetDistanceTest.gaussian(3, 600, new double[] {1, 0, 0}, new double[] {1, 1, 1});
        KernelInceptionDistance.Result same = KernelInceptionDistance.between(a, b, 20, 200, 0);
        KernelInceptionDistance.Result apart = KernelInceptionDistance.between(a, c, 20, 200, 0);
        assertTrue(Math.abs(same.mean()) < 3 * same.std() + 1e-3, same.toString());
        assertTrue(apart.mean() > 10 * Math.max(same.std(), 1e-6), apart + " vs " + same);
    }

    @Test
    void subsetLargerThanASetIsRefused() {
        double[][] a = {{1}, {2}, {3}};
        UserError e = assertThrows(UserError.class, () -> KernelInceptionDistance.between(a, a, 10, 4, 0));
        assertTrue(e.getMessage().contains("subset size 4 must be between 2 and the smaller set's 3 rows"), e.getMessage());
    }
}
