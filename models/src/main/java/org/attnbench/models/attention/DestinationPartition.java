package org.attnbench.models.attention;

import java.util.SplittableRandom;

/**
 * ToMe's 2-D bipartite partition of a h x w token grid: in each sy x sx cell one token is a
 * destination, all others (leftover rows and columns of a grid that sy, sx do not divide
 * included) are sources. With {@code useRand} the destination's offset in each cell is drawn
 * from {@code SplittableRandom(seed)}, cells in row-major order; otherwise it is the top-left.
 * The draw is reproducible within attnbench, not bit-identical to torch's generator.
 * Sources and destinations are listed in ascending token order.
 */
public record DestinationPartition(long[] sources, long[] destinations) {

    public static DestinationPartition of(int h, int w, int sx, int sy, boolean useRand, long seed) {
        int cellsY = h / sy;
        int cellsX = w / sx;
        boolean[] isDestination = new boolean[h * w];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int cy = 0; cy < cellsY; cy++) {
            for (int cx = 0; cx < cellsX; cx++) {
                int offset = useRand ? rnd.nextInt(sy * sx) : 0;
                int row = cy * sy + offset / sx;
                int col = cx * sx + offset % sx;
                isDestination[row * w + col] = true;
            }
        }
        long[] dst = new long[cellsY * cellsX];
        long[] src = new long[h * w - dst.length];
        int di = 0;
        int si = 0;
        for (int t = 0; t < h * w; t++) {
            if (isDestination[t]) dst[di++] = t;
            else src[si++] = t;
        }
        return new DestinationPartition(src, dst);
    }

    /** Tokens merged away: int(N * ratio), at most the number of sources (as tomesd clamps). */
    public static int mergeCount(int tokens, double ratio, int sourceCount) {
        return Math.min((int) (tokens * ratio), sourceCount);
    }
}
