package org.attnbench.methods.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.inputs.TokenMaps;
import org.attnbench.models.reference.AttentionWeights;
import org.attnbench.models.reference.ReferenceBlock;
import org.junit.jupiter.api.Test;

/** The token methods' float64 twins inside the reference attention block. */
class ReferenceBlockTest {

    private static final int C = 8;
    private static final int HEADS = 2;
    private static final AttentionWeights WEIGHTS = AttentionWeights.random(17, C);

    private static BlockMethod dense() {
        return BlockMethod.unpatched(Kernel.MATMUL);
    }

    private static Todo todo(int factor, DownsampleMethod method) {
        return new Todo(factor, method, Kernel.MATMUL);
    }

    private static Tome tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly) {
        return new Tome(ratio, sx, sy, useRand, seed, kvOnly, Kernel.MATMUL);
    }

    private static double[][][] run(BlockMethod v, double[][][] x, int h, int w) {
        return ReferenceBlock.forward(v, WEIGHTS, x, h, w, HEADS);
    }

    private static void assertClose(double[][][] expected, double[][][] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int b = 0; b < expected.length; b++) {
            assertEquals(expected[b].length, actual[b].length);
            for (int t = 0; t < expected[b].length; t++) {
                assertArrayEquals(expected[b][t], actual[b][t], tol, "b=" + b + " t=" + t);
            }
        }
    }

    private static double maxAbsDiff(double[][][] a, double[][][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                for (int k = 0; k < a[i][t].length; k++) {
                    max = Math.max(max, Math.abs(a[i][t][k] - b[i][t][k]));
                }
            }
        }
        return max;
    }

    /** x whose tokens are constant within each f x f cell (a random vector per cell). */
    private static double[][][] blocky(long seed, int batch, int h, int w, int f) {
        double[][][] cells = TokenMaps.gaussian(seed, batch, h / f, w / f, C);
        double[][][] x = new double[batch][h * w][];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < h * w; t++) {
                x[b][t] = cells[b][(t / w / f) * (w / f) + (t % w) / f].clone();
            }
        }
        return x;
    }

    @Test
    void todoFactorOneIsDenseExactly() {
        double[][][] x = TokenMaps.gaussian(1, 2, 5, 6, C);
        double[][][] dense = run(dense(), x, 5, 6);
        for (DownsampleMethod m : DownsampleMethod.values()) {
            assertClose(dense, run(todo(1, m), x, 5, 6), 0.0);
        }
    }

    @Test
    void tomeRatioZeroIsDenseExactly() {
        double[][][] x = TokenMaps.gaussian(2, 2, 6, 6, C);
        double[][][] dense = run(dense(), x, 6, 6);
        assertClose(dense, run(tome(0.0, 2, 2, true, 5, false), x, 6, 6), 0.0);
        assertClose(dense, run(tome(0.0, 2, 2, true, 5, true), x, 6, 6), 0.0);
        // int(36 * 0.02) = 0 tokens: still the dense path.
        assertClose(dense, run(tome(0.02, 2, 2, false, 5, false), x, 6, 6), 0.0);
    }

    @Test
    void variantsKeepTheShapeAndChangeTheOutput() {
        double[][][] x = TokenMaps.gaussian(3, 2, 6, 6, C);
        double[][][] dense = run(dense(), x, 6, 6);
        BlockMethod[] variants = {
                todo(2, DownsampleMethod.NEAREST_EXACT),
                todo(3, DownsampleMethod.AVG_POOL),
                tome(0.5, 2, 2, true, 1, false),
                tome(0.5, 2, 2, true, 1, true),
        };
        for (BlockMethod v : variants) {
            double[][][] out = run(v, x, 6, 6);
            assertEquals(2, out.length);
            assertEquals(36, out[0].length);
            assertEquals(C, out[0][0].length);
            double diff = maxAbsDiff(dense, out);
            assertTrue(Double.isFinite(diff) && diff > 1e-6, v + " differs from dense by " + diff);
        }
    }

    @Test
    void everyVariantIsDenseOnAConstantMap() {
        // Identical tokens give identical keys and values: any subset or mean of them attends alike.
        double[] token = TokenMaps.gaussian(4, 1, 1, 1, C)[0][0];
        double[][][] x = new double[2][30][];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 30; t++) {
                x[b][t] = token.clone();
            }
        }
        double[][][] dense = run(dense(), x, 5, 6);
        for (DownsampleMethod m : DownsampleMethod.values()) {
            assertClose(dense, run(todo(2, m), x, 5, 6), 1e-12);
        }
        assertClose(dense, run(tome(0.75, 2, 2, true, 3, false), x, 5, 6), 1e-12);
        assertClose(dense, run(tome(0.75, 2, 2, true, 3, true), x, 5, 6), 1e-12);
    }

    @Test
    void todoIsDenseWhenEveryCellIsConstant() {
        // Each distinct key appears f*f times in dense attention, which scales all its softmax
        // weights alike; so keys downsampled to one per cell give the same output. Bicubic is left
        // out: its taps reach into neighbouring cells.
        double[][][] x = blocky(5, 2, 6, 8, 2);
        double[][][] dense = run(dense(), x, 6, 8);
        for (DownsampleMethod m : DownsampleMethod.values()) {
            if (m != DownsampleMethod.BICUBIC) {
                assertClose(dense, run(todo(2, m), x, 6, 8), 1e-12);
            }
        }
    }

    @Test
    void tomeAtTheCapIsDenseWhenEveryCellIsConstant() {
        // At ratio 1 - 1/(sx*sy) with the top-left partition every source merges, each into the
        // identical destination of its own cell (cosine 1), so the merged tokens are the cells and
        // the same duplicate-key argument applies; full ToMe copies each cell's output back.
        double[][][] x = blocky(6, 2, 6, 8, 2);
        double[][][] dense = run(dense(), x, 6, 8);
        assertClose(dense, run(tome(0.75, 2, 2, false, 0, false), x, 6, 8), 1e-12);
        assertClose(dense, run(tome(0.75, 2, 2, false, 0, true), x, 6, 8), 1e-12);
    }

    @Test
    void batchElementsAreIndependentWithoutRandomPartition() {
        double[][][] x = TokenMaps.gaussian(7, 2, 6, 6, C);
        Tome tome = tome(0.5, 2, 2, false, 0, false);
        double[][][] both = run(tome, x, 6, 6);
        for (int b = 0; b < 2; b++) {
            double[][][] alone = run(tome, new double[][][] {x[b]}, 6, 6);
            assertClose(alone, new double[][][] {both[b]}, 0.0);
        }
    }

    @Test
    void forwardIsDeterministic() {
        double[][][] x = TokenMaps.gaussian(8, 2, 6, 6, C);
        Tome tome = tome(0.5, 2, 2, true, 12, false);
        assertClose(run(tome, x, 6, 6), run(tome, x, 6, 6), 0.0);
    }

    @Test
    void shapeMismatchesAreRefused() {
        double[][][] x = TokenMaps.gaussian(9, 1, 4, 4, C);
        assertThrows(IllegalArgumentException.class, () -> run(dense(), x, 4, 5));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBlock.forward(dense(), WEIGHTS, x, 4, 4, 3));
        assertThrows(IllegalArgumentException.class,
                () -> todo(0, DownsampleMethod.NEAREST));
    }
}
