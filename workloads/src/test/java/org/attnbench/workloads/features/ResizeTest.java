package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResizeTest {
    private static float[] row(float[] values, int outW) {
        return Resize.planes(new float[][] {values}, 1, values.length, 1, outW)[0];
    }

    @Test
    void shrinkingAveragesUnderATriangleAsWideAsTheOutputPixel() {
        // 4 -> 2: centres 1.0 and 3.0, radius 2: taps (.75, .75, .25) / 1.75 from the left, mirrored on the right.
        assertArrayEquals(new float[] {1, 6}, row(new float[] {0, 0, 7, 7}, 2), 1e-6f);
    }

    @Test
    void enlargingIsBilinearWithHalfPixelCentresAndClampedEdges() {
        assertArrayEquals(new float[] {0, 2, 6, 8}, row(new float[] {0, 8}, 4), 1e-6f);
    }

    @Test
    void aFineCheckerboardShrinksToGreyNotToAliasedStripes() {
        int n = 64;
        float[] board = new float[n * n];
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) board[y * n + x] = (x + y) % 2 == 0 ? 255 : 0;
        float[] small = Resize.planes(new float[][] {board}, n, n, 7, 7)[0];
        for (float v : small) assertEquals(127.5, v, 6, "antialiased shrink of a checkerboard");
    }

    @Test
    void constantPlanesStayConstantAtAnySize() {
        float[] flat = new float[37 * 23];
        Arrays.fill(flat, 42);
        for (int[] size : new int[][] {{5, 3}, {299, 299}, {37, 23}, {100, 7}}) {
            for (float v : Resize.planes(new float[][] {flat}, 37, 23, size[0], size[1])[0]) assertEquals(42, v, 1e-4);
        }
    }

    @Test
    void sameSizeIsTheIdentity() {
        float[] v = {1, 5, -2, 8, 3};
        assertArrayEquals(v, row(v, 5), 1e-6f);
    }
}
