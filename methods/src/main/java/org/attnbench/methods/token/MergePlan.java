package org.attnbench.methods.token;


/**
 * The outcome of ToMe's matching for one batch element: which sources merge into which
 * destination, and how to merge and unmerge token matrices accordingly.
 *
 * <p>Merged layout (tomesd's): the unmerged sources in their sorted order, then every
 * destination in ascending token order, N - r tokens in all.
 *
 * @param partition the shared source/destination split
 * @param unmerged positions in {@code partition.sources()} of the sources that stay, in sorted
 *     (score-descending) order
 * @param merged positions in {@code partition.sources()} of the r sources that merge, in sorted
 *     order
 * @param mergedInto for each merged source, the position in {@code partition.destinations()} of
 *     its destination
 * @param scores each source's best cosine similarity to any destination, by source position
 */
public record MergePlan(
        TokenPartition partition, int[] unmerged, int[] merged, int[] mergedInto, double[] scores) {

    /** Number of tokens merged away. */
    public int r() {
        return merged.length;
    }

    /** Number of tokens after merging: N - r. */
    public int mergedTokenCount() {
        return unmerged.length + partition.destinations().length;
    }

    /**
     * Merges [N][C] tokens to [N - r][C]: each destination becomes the mean of itself and every
     * source merged into it (tomesd's {@code scatter_reduce(mean)}, destination included); each
     * unmerged source is copied.
     */
    public double[][] merge(double[][] tokens) {
        int[] sources = partition.sources();
        int[] destinations = partition.destinations();
        int c = tokens[0].length;
        double[][] out = new double[mergedTokenCount()][];
        for (int k = 0; k < unmerged.length; k++) {
            out[k] = tokens[sources[unmerged[k]]].clone();
        }
        double[][] sum = new double[destinations.length][];
        int[] count = new int[destinations.length];
        for (int j = 0; j < destinations.length; j++) {
            sum[j] = tokens[destinations[j]].clone();
            count[j] = 1;
        }
        for (int k = 0; k < merged.length; k++) {
            double[] src = tokens[sources[merged[k]]];
            int j = mergedInto[k];
            for (int e = 0; e < c; e++) {
                sum[j][e] += src[e];
            }
            count[j]++;
        }
        for (int j = 0; j < destinations.length; j++) {
            for (int e = 0; e < c; e++) {
                sum[j][e] /= count[j]; // a lone destination divides by 1, which is exact
            }
            out[unmerged.length + j] = sum[j];
        }
        return out;
    }

    /**
     * Unmerges [N - r][C] back to [N][C] in token order: each destination's row goes to the
     * destination and to every source merged into it; each unmerged source's row to its place.
     */
    public double[][] unmerge(double[][] mergedTokens) {
        int[] sources = partition.sources();
        int[] destinations = partition.destinations();
        double[][] out = new double[partition.tokens()][];
        int u = unmerged.length;
        for (int j = 0; j < destinations.length; j++) {
            out[destinations[j]] = mergedTokens[u + j].clone();
        }
        for (int k = 0; k < u; k++) {
            out[sources[unmerged[k]]] = mergedTokens[k].clone();
        }
        for (int k = 0; k < merged.length; k++) {
            out[sources[merged[k]]] = mergedTokens[u + mergedInto[k]].clone();
        }
        return out;
    }
}
