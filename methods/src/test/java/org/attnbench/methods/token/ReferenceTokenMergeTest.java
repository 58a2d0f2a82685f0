package org.attnbench.methods.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.attnbench.models.inputs.TokenMaps;
import org.junit.jupiter.api.Test;

class ReferenceTokenMergeTest {

    private static Tome tome(double ratio, boolean useRand, long seed) {
        return new Tome(ratio, 2, 2, useRand, seed, false, org.attnbench.models.attention.Kernel.MATMUL);
    }

    @Test
    void topLeftPartitionOn5x5MakesLeftoversSources() {
        TokenPartition p = TokenPartition.of(5, 5, 2, 2, false, 0);
        assertArrayEquals(new int[] {0, 2, 10, 12}, p.destinations());
        assertEquals(21, p.sources().length);
        for (int t = 0; t < 25; t++) {
            boolean leftover = t / 5 == 4 || t % 5 == 4;
            boolean isSource = Arrays.binarySearch(p.sources(), t) >= 0;
            if (leftover) {
                assertTrue(isSource, "leftover token " + t + " must be a source");
            }
            assertEquals(!isSource, Arrays.binarySearch(p.destinations(), t) >= 0);
        }
    }

    @Test
    void randomPartitionHasOneDestinationPerCell() {
        TokenPartition p = TokenPartition.of(7, 9, 3, 2, true, 42);
        int[] perCell = new int[(7 / 2) * (9 / 3)];
        for (int t : p.destinations()) {
            int row = t / 9;
            int col = t % 9;
            assertTrue(row < 6 && col < 9, "destination outside the full cells: " + t);
            perCell[(row / 2) * 3 + col / 3]++;
        }
        for (int count : perCell) {
            assertEquals(1, count);
        }
        assertEquals(63 - perCell.length, p.sources().length);
    }

    @Test
    void seededPartitionIsReproducibleAndSeedDependent() {
        assertEquals(TokenPartition.of(8, 8, 2, 2, true, 7), TokenPartition.of(8, 8, 2, 2, true, 7));
        assertNotEquals(TokenPartition.of(8, 8, 2, 2, true, 7), TokenPartition.of(8, 8, 2, 2, true, 8));
        assertNotEquals(TokenPartition.of(8, 8, 2, 2, false, 7), TokenPartition.of(8, 8, 2, 2, true, 7));
    }

    @Test
    void oddBatchForcesTheTopLeftPartition() {
        TokenPartition topLeft = TokenPartition.of(6, 6, 2, 2, false, 3);
        assertEquals(topLeft, ReferenceTokenMerge.partition(3, 6, 6, tome(0.5, true, 3)));
        assertEquals(topLeft, ReferenceTokenMerge.partition(1, 6, 6, tome(0.5, true, 3)));
        assertNotEquals(topLeft, ReferenceTokenMerge.partition(2, 6, 6, tome(0.5, true, 3)));
    }

    @Test
    void ratioAboveTheCapIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> tome(0.76, false, 0));
        assertTrue(e.getMessage().contains("1 - 1/(sx*sy)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tome(-0.1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> tome(Double.NaN, false, 0));
        assertEquals(0.75, tome(0.75, false, 0).ratio()); // the cap itself is allowed
    }

    @Test
    void mergeCountTruncatesAndClampsToTheSources() {
        TokenPartition p = TokenPartition.of(5, 5, 2, 2, false, 0);
        assertEquals(12, p.mergeCount(0.5)); // int(12.5)
        assertEquals(21, p.mergeCount(0.99)); // min(24, 21 sources)
        assertEquals(0, TokenPartition.of(1, 3, 2, 2, false, 0).mergeCount(0.5));
    }

    @Test
    void mergedTokenCountIsNMinusR() {
        double[][] x = TokenMaps.gaussian(1, 1, 6, 6, 4)[0];
        TokenPartition p = TokenPartition.of(6, 6, 2, 2, false, 0);
        MergePlan plan = ReferenceTokenMerge.plan(x, p, 0.5);
        assertEquals(18, plan.r());
        assertEquals(18, plan.mergedTokenCount());
        assertEquals(18, plan.merge(x).length);
        assertEquals(36, plan.unmerge(plan.merge(x)).length);
    }

    @Test
    void unmergeOfMergeIsTheIdentityWhenNothingMerges() {
        double[][] x = TokenMaps.gaussian(2, 1, 5, 5, 3)[0];
        MergePlan plan = ReferenceTokenMerge.plan(x, TokenPartition.of(5, 5, 2, 2, false, 0), 0.0);
        assertEquals(0, plan.r());
        double[][] back = plan.unmerge(plan.merge(x));
        for (int t = 0; t < x.length; t++) {
            assertArrayEquals(x[t], back[t], 0.0);
        }
    }

    @Test
    void destinationsBecomeExactMeansAndUnmergeCopiesThemBack() {
        double[][] metric = TokenMaps.gaussian(3, 1, 6, 6, 4)[0];
        double[][] values = TokenMaps.gaussian(4, 1, 6, 6, 5)[0];
        TokenPartition p = TokenPartition.of(6, 6, 2, 2, true, 11);
        MergePlan plan = ReferenceTokenMerge.plan(metric, p, 0.6);
        double[][] merged = plan.merge(values);
        int u = plan.unmerged().length;
        for (int j = 0; j < p.destinations().length; j++) {
            double[] sum = values[p.destinations()[j]].clone();
            int count = 1;
            for (int k = 0; k < plan.r(); k++) {
                if (plan.mergedInto()[k] == j) {
                    double[] src = values[p.sources()[plan.merged()[k]]];
                    for (int e = 0; e < sum.length; e++) {
                        sum[e] += src[e];
                    }
                    count++;
                }
            }
            for (int e = 0; e < sum.length; e++) {
                sum[e] /= count;
            }
            assertArrayEquals(sum, merged[u + j], 0.0);
        }
        for (int k = 0; k < u; k++) {
            assertArrayEquals(values[p.sources()[plan.unmerged()[k]]], merged[k], 0.0);
        }
        double[][] back = plan.unmerge(merged);
        for (int k = 0; k < plan.r(); k++) {
            int source = p.sources()[plan.merged()[k]];
            int destination = p.destinations()[plan.mergedInto()[k]];
            assertArrayEquals(back[destination], back[source], 0.0);
        }
    }

    @Test
    void eachSourcePicksItsMostSimilarDestination() {
        double[][] metric = TokenMaps.gaussian(5, 1, 4, 6, 3)[0];
        TokenPartition p = TokenPartition.of(4, 6, 2, 2, false, 0);
        MergePlan plan = ReferenceTokenMerge.plan(metric, p, 0.75);
        for (int k = 0; k < plan.r(); k++) {
            double[] s = metric[p.sources()[plan.merged()[k]]];
            int chosen = plan.mergedInto()[k];
            for (int j = 0; j < p.destinations().length; j++) {
                assertTrue(cosine(s, metric[p.destinations()[chosen]])
                        >= cosine(s, metric[p.destinations()[j]]) - 1e-12);
            }
        }
        // Scores are sorted descending along the merge order.
        for (int k = 1; k < plan.r(); k++) {
            assertTrue(plan.scores()[plan.merged()[k - 1]] >= plan.scores()[plan.merged()[k]]);
        }
    }

    @Test
    void handCheckedMergeLayoutOnOneCell() {
        // 2 x 2 grid, one cell: destination token 0, sources 1, 2, 3. Cosines to token 0:
        // token 1 ~0.995, token 3 ~0.894, token 2 = 0. r = int(4 * 0.5) = 2 merges tokens 1 and 3.
        double[][] metric = {{1, 0}, {1, 0.1}, {0, 1}, {1, 0.5}};
        MergePlan plan = ReferenceTokenMerge.plan(metric, TokenPartition.of(2, 2, 2, 2, false, 0), 0.5);
        assertArrayEquals(new int[] {0, 2}, plan.merged()); // positions of tokens 1 and 3 in sources
        assertArrayEquals(new int[] {0, 0}, plan.mergedInto());
        assertArrayEquals(new int[] {1}, plan.unmerged()); // token 2
        double[][] values = {{3}, {6}, {7}, {9}};
        double[][] merged = plan.merge(values);
        assertArrayEquals(new double[] {7}, merged[0], 0.0); // unmerged sources first
        assertArrayEquals(new double[] {6}, merged[1], 0.0); // then destinations: (3 + 6 + 9) / 3
        double[][] back = plan.unmerge(new double[][] {{-1}, {5}});
        assertArrayEquals(new double[][] {{5}, {5}, {-1}, {5}}, back);
    }

    @Test
    void tiesGoToTheLowestDestinationAndKeepAscendingSourceOrder() {
        // Every token alike: all scores tie, so every source picks destination 0 and the first r
        // sources in ascending order merge.
        double[][] metric = new double[16][];
        for (int t = 0; t < 16; t++) {
            metric[t] = new double[] {1.0, 2.0};
        }
        TokenPartition p = TokenPartition.of(4, 4, 2, 2, false, 0);
        MergePlan plan = ReferenceTokenMerge.plan(metric, p, 0.25);
        assertArrayEquals(new int[] {0, 1, 2, 3}, plan.merged());
        assertArrayEquals(new int[] {0, 0, 0, 0}, plan.mergedInto());
        assertArrayEquals(new int[] {4, 5, 6, 7, 8, 9, 10, 11}, plan.unmerged());
    }

    @Test
    void zeroMetricRowsScoreZeroNotNaN() {
        double[][] metric = new double[16][3];
        MergePlan plan = ReferenceTokenMerge.plan(metric, TokenPartition.of(4, 4, 2, 2, false, 0), 0.5);
        for (double s : plan.scores()) {
            assertEquals(0.0, s);
        }
    }

    @Test
    void batchElementsMatchIndependentlyOnASharedPartition() {
        double[][][] metric = TokenMaps.gaussian(6, 2, 6, 6, 4);
        TokenPartition p = ReferenceTokenMerge.partition(2, 6, 6, tome(0.5, true, 9));
        List<MergePlan> plans = ReferenceTokenMerge.plans(metric, p, 0.5);
        assertEquals(p, plans.get(0).partition());
        assertEquals(p, plans.get(1).partition());
        assertTrue(!Arrays.equals(plans.get(0).merged(), plans.get(1).merged())
                || !Arrays.equals(plans.get(0).mergedInto(), plans.get(1).mergedInto()));
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int k = 0; k < a.length; k++) {
            ab += a[k] * b[k];
            aa += a[k] * a[k];
            bb += b[k] * b[k];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
