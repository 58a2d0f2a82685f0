package org.attnbench.metrics.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HighFrequencyTest {
    @Test
    void impulseInARowByHand() {
        // One row of 7 pixels, impulse at 3: the vertical pass is the identity (height 1); the
        // horizontal blur gives w3 at 0 and 6 from both the tap and its mirror, w2, w1, w0, w1, w2.
        double[] w = HighFrequency.kernel();
        double w0 = w[3];
        double w1 = w[4];
        double w2 = w[5];
        double w3 = w[6];
        double expected = (2 * w3 + w2 + w1 + (1 - w0) + w1 + w2 + 2 * w3) / 7;
        double[][][] x = {{{0, 0, 0, 1, 0, 0, 0}}};
        assertEquals(expected, HighFrequency.hpf(x), 1e-15);
        // the kernel itself: exp(-k^2/2) normalized
        double norm = 1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5));
        assertEquals(1 / norm, w0, 1e-15);
        assertEquals(Math.exp(-4.5) / norm, w3, 1e-15);
    }

    @Test
    void constantIsZeroEqualIsEqualAndBlurLowers() {
        double[][][] flat = new double[2][9][11];
        for (double[][] c : flat) for (double[] row : c) java.util.Arrays.fill(row, 42);
        assertEquals(0, HighFrequency.hpf(flat), 1e-12);
        double[][][] noisy = new double[3][16][16];
        Random r = new Random(1);
        for (double[][] c : noisy) for (double[] row : c) for (int j = 0; j < row.length; j++) row[j] = 255 * r.nextDouble();
        assertEquals(HighFrequency.hpf(noisy), HighFrequency.hpf(copy(noisy)));
        double[][][] blurred = new double[3][][];
        for (int c = 0; c < 3; c++) blurred[c] = HighFrequency.blur(noisy[c]);
        assertTrue(HighFrequency.hpf(blurred) < 0.5 * HighFrequency.hpf(noisy));
    }

    @Test
    void mirrorReflectsWithoutRepeatingTheEdge() {
        assertEquals(1, HighFrequency.mirror(-1, 5));
        assertEquals(3, HighFrequency.mirror(5, 5));
        assertEquals(1, HighFrequency.mirror(-3, 2)); // period 2: -3 -> 1
        assertEquals(0, HighFrequency.mirror(4, 1));
    }

    @Test
    void psnrOfAKnownMse() {
        Fidelity f = Fidelity.compare(new double[] {0, 0, 0, 0}, new double[] {2, 2, 2, 2}); // MSE 4
        assertEquals(10 * Math.log10(255.0 * 255 / 4), f.psnr(255), 1e-12);
    }

    private static double[][][] copy(double[][][] x) {
        double[][][] out = new double[x.length][][];
        for (int c = 0; c < x.length; c++) {
            out[c] = new double[x[c].length][];
            for (int i = 0; i < x[c].length; i++) out[c][i] = x[c][i].clone();
        }
        return out;
    }
}
