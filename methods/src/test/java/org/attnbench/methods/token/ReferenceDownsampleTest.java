package org.attnbench.methods.token;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-checked ToDo downsampling on grids whose token value is its index, row * w + col. */
class ReferenceDownsampleTest {

    private static final double EPS = 1e-12;

    /** One channel holding the token index, so each output is easy to check by hand. */
    private static double[][] indexGrid(int h, int w) {
        double[][] t = new double[h * w][1];
        for (int i = 0; i < h * w; i++) {
            t[i][0] = i;
        }
        return t;
    }

    private static double[] down(int h, int w, DownsampleMethod m) {
        double[][] out = ReferenceDownsample.apply(indexGrid(h, w), h, w, 2, m);
        double[] flat = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            flat[i] = out[i][0];
        }
        return flat;
    }

    @Test
    void grid4x4FactorTwo() {
        // When f divides the side, in/out == f: nearest picks each 2x2 cell's top-left token.
        assertArrayEquals(new double[] {0, 2, 8, 10}, down(4, 4, DownsampleMethod.NEAREST), EPS);
        // nearest-exact: floor((d + 0.5) * 2) = 1, 3, the bottom-right of each cell.
        assertArrayEquals(new double[] {5, 7, 13, 15}, down(4, 4, DownsampleMethod.NEAREST_EXACT), EPS);
        // bilinear at source 0.5, 2.5: the mean of each cell.
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, down(4, 4, DownsampleMethod.BILINEAR), EPS);
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, down(4, 4, DownsampleMethod.AVG_POOL), EPS);
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, down(4, 4, DownsampleMethod.AREA), EPS);
        assertArrayEquals(new double[] {5, 7, 13, 15}, down(4, 4, DownsampleMethod.MAX_POOL), EPS);
    }

    @Test
    void grid5x5FactorTwoFloorsToTwoByTwo() {
        // out = 5 // 2 = 2 per side; interpolation then uses scale 5/2 = 2.5, not 2.
        assertEquals(4, ReferenceDownsample.apply(indexGrid(5, 5), 5, 5, 2, DownsampleMethod.NEAREST).length);
        // nearest: floor(0 * 2.5) = 0, floor(1 * 2.5) = 2.
        assertArrayEquals(new double[] {0, 2, 10, 12}, down(5, 5, DownsampleMethod.NEAREST), EPS);
        // nearest-exact: floor(0.5 * 2.5) = 1, floor(1.5 * 2.5) = 3.
        assertArrayEquals(new double[] {6, 8, 16, 18}, down(5, 5, DownsampleMethod.NEAREST_EXACT), EPS);
        // bilinear: sources 0.75 and 3.25 on each axis; the index grid is linear, 5 * row + col.
        assertArrayEquals(new double[] {4.5, 7.0, 17.0, 19.5}, down(5, 5, DownsampleMethod.BILINEAR), EPS);
        // pooling drops the last row and column: cells {0,1} x {0,1}, {0,1} x {2,3}, ...
        assertArrayEquals(new double[] {3, 5, 13, 15}, down(5, 5, DownsampleMethod.AVG_POOL), EPS);
        assertArrayEquals(new double[] {6, 8, 16, 18}, down(5, 5, DownsampleMethod.MAX_POOL), EPS);
        // area (adaptive pooling): overlapping cells [0, 3) and [2, 5) on each axis, means 1 and 3.
        assertArrayEquals(new double[] {6, 8, 16, 18}, down(5, 5, DownsampleMethod.AREA), EPS);
    }

    @Test
    void bicubicWeightsUseKeysKernelWithClampedEdges() {
        // 4 -> 2: sources 0.5 and 2.5, t = 0.5: taps -0.09375, 0.59375, 0.59375, -0.09375, with the
        // out-of-range tap folded onto the edge token.
        double[][] m = ReferenceDownsample.axisWeights(DownsampleMethod.BICUBIC, 4, 2, 2);
        assertArrayEquals(new double[] {0.5, 0.59375, -0.09375, 0}, m[0], EPS);
        assertArrayEquals(new double[] {0, -0.09375, 0.59375, 0.5}, m[1], EPS);
    }

    @Test
    void nonSquareGridKeepsRowMajorOrder() {
        // 2 x 4 grid, f = 2 -> 1 x 2: nearest takes tokens (0, 0) and (0, 2).
        double[][] out = ReferenceDownsample.apply(indexGrid(2, 4), 2, 4, 2, DownsampleMethod.NEAREST);
        assertEquals(2, out.length);
        assertEquals(0, out[0][0], EPS);
        assertEquals(2, out[1][0], EPS);
    }

    @Test
    void factorOneIsTheIdentityForEveryMethod() {
        double[][] grid = indexGrid(3, 5);
        for (DownsampleMethod m : DownsampleMethod.values()) {
            double[][] out = ReferenceDownsample.apply(grid, 3, 5, 1, m);
            for (int i = 0; i < grid.length; i++) {
                assertArrayEquals(grid[i], out[i], 0.0, m.specName());
            }
        }
    }

    @Test
    void factorLargerThanTheGridIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceDownsample.apply(indexGrid(3, 3), 3, 3, 4, DownsampleMethod.NEAREST));
        assertEquals(true, e.getMessage().contains("larger than the grid side"));
    }

    @Test
    void specNamesRoundTrip() {
        for (DownsampleMethod m : DownsampleMethod.values()) {
            assertEquals(m, DownsampleMethod.fromSpecName(m.specName()));
        }
        assertThrows(IllegalArgumentException.class, () -> DownsampleMethod.fromSpecName("lanczos"));
    }
}
