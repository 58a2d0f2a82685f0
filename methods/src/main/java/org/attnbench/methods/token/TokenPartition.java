package org.attnbench.methods.token;

import java.util.Arrays;
import java.util.Random;

/**
 * ToMe's bipartite split of an h x w token grid into destinations ("b") and sources ("a"), as in
 * tomesd's {@code bipartite_soft_matching_random2d}: the grid is tiled by sy x sx cells from the
 * top-left corner; each full cell holds exactly one destination; every other token, including
 * the leftover rows and columns of a grid that sy, sx do not divide, is a source.
 *
 * <p>Both index lists are in ascending token order (token index = row * w + col). tomesd gets
 * them from an argsort of a -1/0 buffer, whose order within each group torch does not promise;
 * ascending is the natural reading and the only order that is reproducible.
 *
 * @param sources token indices of the sources, ascending
 * @param destinations token indices of the destinations, ascending
 */
public record TokenPartition(int h, int w, int[] sources, int[] destinations) {

    /**
     * Builds the partition.
     *
     * <p>With {@code useRand} the destination of each cell is the token at a random offset
     * {@code o} in [0, sy*sx), at row {@code o / sx}, column {@code o % sx} of the cell (tomesd's
     * layout); offsets are drawn cell by cell in row-major cell order from
     * {@code new java.util.Random(seed).nextInt(sy * sx)}. That stream is not torch's
     * {@code randint}, so a partition is reproducible within attnbench (on any JDK: Random's
     * algorithm is fixed by its javadoc) but not bit-identical to tomesd's. Without
     * {@code useRand} every cell's destination is its top-left token (offset 0).
     */
    public static TokenPartition of(int h, int w, int sx, int sy, boolean useRand, long seed) {
        int cellsY = h / sy;
        int cellsX = w / sx;
        boolean[] isDestination = new boolean[h * w];
        Random rng = new Random(seed);
        for (int cy = 0; cy < cellsY; cy++) {
            for (int cx = 0; cx < cellsX; cx++) {
                int offset = useRand ? rng.nextInt(sy * sx) : 0;
                int row = cy * sy + offset / sx;
                int col = cx * sx + offset % sx;
                isDestination[row * w + col] = true;
            }
        }
        int[] destinations = new int[cellsY * cellsX];
        int[] sources = new int[h * w - destinations.length];
        int d = 0;
        int s = 0;
        for (int t = 0; t < h * w; t++) {
            if (isDestination[t]) {
                destinations[d++] = t;
            } else {
                sources[s++] = t;
            }
        }
        return new TokenPartition(h, w, sources, destinations);
    }

    /**
     * Tokens merged away at {@code ratio}: {@code int(N * ratio)}, at most the number of sources
     * (tomesd clamps the same way); 0 when the grid has no full cell.
     */
    public int mergeCount(double ratio) {
        if (destinations.length == 0) {
            return 0;
        }
        return Math.min((int) (tokens() * ratio), sources.length);
    }

    /** Index lists as int64, the dtype graph index tensors use. */
    static long[] asLongs(int[] indices) {
        return java.util.Arrays.stream(indices).asLongStream().toArray();
    }

    /** Token count N = h * w. */
    public int tokens() {
        return h * w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenPartition p && p.h == h && p.w == w
                && Arrays.equals(p.sources, sources) && Arrays.equals(p.destinations, destinations);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sources) + Arrays.hashCode(destinations);
    }

    @Override
    public String toString() {
        return "TokenPartition[" + h + "x" + w + ", destinations=" + Arrays.toString(destinations) + "]";
    }
}
