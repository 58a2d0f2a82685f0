package org.attnbench.models.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The synthetic images have what ToDo's premise needs from photographs: a 1/f^2 power spectrum, alike neighbours. */
class SyntheticImagesTest {
    @Test
    void seededAndInRange() {
        double[][] a = SyntheticImages.rgbGrid(7, 12, 20);
        assertArrayEquals(a, SyntheticImages.rgbGrid(7, 12, 20));
        assertFalse(Arrays.deepEquals(a, SyntheticImages.rgbGrid(8, 12, 20)));
        assertEquals(240, a.length);
        for (double[] px : a) for (double v : px) assertTrue(v >= -1 && v <= 1);
    }

    /** The radially averaged power spectrum of the luminance falls as f^-slope with slope near 2, as photographs' do. */
    @Test
    void powerSpectrumFallsAsOneOverFSquared() {
        int n = 32;
        double[] slopes = new double[4];
        for (int seed = 0; seed < slopes.length; seed++) {
            double[][] rgb = SyntheticImages.rgbGrid(seed, n, n);
            double[] lum = new double[n * n];
            for (int t = 0; t < lum.length; t++) lum[t] = (rgb[t][0] + rgb[t][1] + rgb[t][2]) / 3;
            slopes[seed] = spectralSlope(lum, n);
        }
        double mean = Arrays.stream(slopes).average().orElseThrow();
        assertTrue(mean > 1.7 && mean < 2.3, "power spectrum slope " + mean + " (photographs: about 2)");
    }

    /** Neighbouring tokens are alike in the synthetic maps and unrelated in Gaussian ones. */
    @Test
    void neighbouringTokensAreAlike() {
        double[][][] synthetic = TokenMaps.synthetic(3, 4, 1, 32, 32, 16);
        double[][][] gaussian = TokenMaps.gaussian(3, 1, 32, 32, 16);
        double s = neighbourCosine(synthetic[0], 32);
        double g = neighbourCosine(gaussian[0], 32);
        assertTrue(s > 0.8, "synthetic neighbours' cosine " + s);
        assertTrue(Math.abs(g) < 0.1, "gaussian neighbours' cosine " + g);
    }

    private static double neighbourCosine(double[][] tokens, int w) {
        double sum = 0;
        int count = 0;
        for (int t = 0; t + 1 < tokens.length; t++) {
            if ((t + 1) % w == 0) continue;
            double dot = 0, na = 0, nb = 0;
            for (int c = 0; c < tokens[t].length; c++) {
                dot += tokens[t][c] * tokens[t + 1][c];
                na += tokens[t][c] * tokens[t][c];
                nb += tokens[t + 1][c] * tokens[t + 1][c];
            }
            sum += dot / Math.sqrt(na * nb);
            count++;
        }
        return sum / count;
    }

    /** Least-squares slope of -log(power) against log(f), power averaged in rings of f from 2 to n/2 - 1 cycles. */
    private static double spectralSlope(double[] x, int n) {
        double[] ring = new double[n];
        int[] count = new int[n];
        for (int ky = 0; ky < n; ky++) {
            for (int kx = 0; kx < n; kx++) {
                double re = 0, im = 0;
                for (int y = 0; y < n; y++) {
                    for (int xx = 0; xx < n; xx++) {
                        double angle = -2 * Math.PI * ((double) ky * y / n + (double) kx * xx / n);
                        re += x[y * n + xx] * Math.cos(angle);
                        im += x[y * n + xx] * Math.sin(angle);
                    }
                }
                int f = (int) Math.round(Math.hypot(Math.min(ky, n - ky), Math.min(kx, n - kx)));
                if (f < n) {
                    ring[f] += re * re + im * im;
                    count[f]++;
                }
            }
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int m = 0;
        for (int f = 2; f < n / 2; f++) {
            double lx = Math.log(f);
            double ly = -Math.log(ring[f] / count[f]);
            sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
            m++;
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }
}
