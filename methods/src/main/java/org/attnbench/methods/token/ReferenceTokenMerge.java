package org.attnbench.methods.token;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ToMe's bipartite soft matching (tomesd {@code bipartite_soft_matching_random2d}) on plain
 * arrays: partition, matching, and the resulting {@link MergePlan}s.
 */
public final class ReferenceTokenMerge {

    private ReferenceTokenMerge() {}

    /**
     * The destination partition shared by every element of a batch of {@code batch}. As tomesd's
     * patch does, {@code useRand} is forced off for an odd batch: with classifier-free guidance the
     * batch is [uncond, cond] and both halves must merge alike, which a per-call random partition
     * only guarantees when it is drawn once for the whole (even) batch.
     */
    public static TokenPartition partition(int batch, int h, int w, Tome p) {
        boolean useRand = p.useRand() && batch % 2 == 0;
        return TokenPartition.of(h, w, p.sx(), p.sy(), useRand, p.seed());
    }


    /** One plan per batch element: each element matches on its own metric, on the shared partition. */
    public static List<MergePlan> plans(double[][][] metric, TokenPartition partition, double ratio) {
        List<MergePlan> plans = new ArrayList<>(metric.length);
        for (double[][] m : metric) {
            plans.add(plan(m, partition, ratio));
        }
        return plans;
    }

    /**
     * Matches one batch element.
     *
     * <ol>
     *   <li>Cosine similarity of each source's metric vector to each destination's (rows divided
     *       by their L2 norm; an all-zero row stays zero, so its scores are 0 where torch would
     *       give NaN).
     *   <li>Each source's best destination: the maximum score, ties to the lowest destination
     *       position (what torch's CPU max returns).
     *   <li>Sources sorted by that score, descending. The sort is stable, so ties keep ascending
     *       source order; torch's argsort does not promise an order for ties.
     *   <li>The first r sorted sources merge; the rest stay.
     * </ol>
     *
     * @param metric [N][C] similarity metric (tomesd: the block input x, before norm1)
     */
    public static MergePlan plan(double[][] metric, TokenPartition partition, double ratio) {
        if (metric.length != partition.tokens()) {
            throw new IllegalArgumentException("metric has " + metric.length + " tokens, partition "
                    + partition.tokens());
        }
        int[] sources = partition.sources();
        int[] destinations = partition.destinations();
        double[][] unit = normalizeRows(metric);
        double[] score = new double[sources.length];
        int[] best = new int[sources.length];
        for (int i = 0; i < sources.length; i++) {
            score[i] = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < destinations.length; j++) {
                double s = dot(unit[sources[i]], unit[destinations[j]]);
                if (s > score[i]) { // strict: ties keep the lowest destination
                    score[i] = s;
                    best[i] = j;
                }
            }
        }
        List<Integer> order = new ArrayList<>(sources.length);
        for (int i = 0; i < sources.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> score[i]).reversed()); // List.sort is stable
        int r = partition.mergeCount(ratio);
        int[] merged = new int[r];
        int[] mergedInto = new int[r];
        int[] unmerged = new int[sources.length - r];
        for (int k = 0; k < sources.length; k++) {
            int i = order.get(k);
            if (k < r) {
                merged[k] = i;
                mergedInto[k] = best[i];
            } else {
                unmerged[k - r] = i;
            }
        }
        return new MergePlan(partition, unmerged, merged, mergedInto, score);
    }

    private static double[][] normalizeRows(double[][] x) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double norm = Math.sqrt(dot(x[t], x[t]));
            out[t] = x[t].clone();
            if (norm > 0) {
                for (int k = 0; k < out[t].length; k++) {
                    out[t][k] /= norm;
                }
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
