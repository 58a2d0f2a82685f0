package org.attnbench.models.attention;

import java.util.List;
import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * ToMe's bipartite soft matching as graph ops. The match is computed once from the metric
 * (the block input x), then {@link #merge} and {@link #unmerge} apply it to any [B,N,C] tensor.
 *
 * <p>Steps: cosine similarity of every source to every destination; each source's best
 * destination (ArgMax: first maximum on ties); sources ranked by that score, descending (TopK:
 * lower index first on ties, i.e. a stable sort); the top r merge into their destination by
 * mean (destination included); merged = concat(unmerged sources in rank order, destinations).
 */
final class TokenMerge {
    private final GraphBuilder g;
    private final DestinationPartition partition;
    private final int r;
    private final Value srcIdx;    // [B, r]      rank-ordered merged sources (positions among sources)
    private final Value unmIdx;    // [B, Na - r] rank-ordered kept sources
    private final Value dstIdx;    // [B, r]      destination of each merged source

    private TokenMerge(GraphBuilder g, DestinationPartition partition, int r, Value srcIdx, Value unmIdx, Value dstIdx) {
        this.g = g;
        this.partition = partition;
        this.r = r;
        this.srcIdx = srcIdx;
        this.unmIdx = unmIdx;
        this.dstIdx = dstIdx;
    }

    static TokenMerge match(GraphBuilder g, Value metric, DestinationPartition partition, int r) {
        int na = partition.sources().length;
        Value a = normalize(g, g.op("Gather", Map.of("axis", 1L), metric, g.constLongs(partition.sources())));
        Value b = normalize(g, g.op("Gather", Map.of("axis", 1L), metric, g.constLongs(partition.destinations())));
        Value scores = g.matMul(a, g.transpose(b, 0, 2, 1));                       // [B, Na, Nb]
        Value nodeMax = g.op("ReduceMax", Map.of("axes", new long[] {-1}, "keepdims", 0L), scores);
        Value nodeIdx = g.op("ArgMax", Map.of("axis", -1L, "keepdims", 0L), scores);  // [B, Na]
        Value edgeIdx = g.op("TopK", List.of(nodeMax, g.constLongs(na)),
                Map.of("axis", -1L, "largest", 1L, "sorted", 1L), 2).get(1);       // [B, Na]
        Value srcIdx = slice(g, edgeIdx, 0, r);
        Value unmIdx = slice(g, edgeIdx, r, na);
        Value dstIdx = g.op("GatherElements", Map.of("axis", 1L), nodeIdx, srcIdx);
        return new TokenMerge(g, partition, r, srcIdx, unmIdx, dstIdx);
    }

    /** [B,N,C] -> [B,N-r,C]: kept sources, then destinations averaged with their merged sources. */
    Value merge(Value x) {
        Value a = g.op("Gather", Map.of("axis", 1L), x, g.constLongs(partition.sources()));
        Value b = g.op("Gather", Map.of("axis", 1L), x, g.constLongs(partition.destinations()));
        Value unm = g.op("GatherElements", Map.of("axis", 1L), a, alongChannels(unmIdx, x));
        Value src = g.op("GatherElements", Map.of("axis", 1L), a, alongChannels(srcIdx, x));
        Value sums = g.op("ScatterElements", Map.of("axis", 1L, "reduction", "add"), b, alongChannels(dstIdx, x), src);
        // counts[j] = 1 + number of sources merged into destination j
        long batch = x.dim(0);
        long nb = partition.destinations().length;
        Value ones = g.op("Expand", g.constScalar(1f), g.constLongs(batch, nb, 1));
        Value onesR = g.op("Expand", g.constScalar(1f), g.constLongs(batch, r, 1));
        Value counts = g.op("ScatterElements", Map.of("axis", 1L, "reduction", "add"),
                ones, g.op("Unsqueeze", dstIdx, g.constLongs(-1)), onesR);
        return g.op("Concat", Map.of("axis", 1L), unm, g.div(sums, counts));
    }

    /** [B,N-r,C] -> [B,N,C]: every token gets its own output, merged sources their destination's. */
    Value unmerge(Value merged) {
        long batch = merged.dim(0);
        long c = merged.dim(2);
        int na = partition.sources().length;
        int nb = partition.destinations().length;
        Value unm = slice(g, merged, 0, na - r);
        Value dst = slice(g, merged, na - r, na - r + nb);
        Value src = g.op("GatherElements", Map.of("axis", 1L), dst, alongChannels(dstIdx, merged));
        Value sources = g.constLongs(partition.sources());
        Value unmPos = g.op("Gather", Map.of("axis", 0L), sources, unmIdx);           // [B, Na-r]
        Value srcPos = g.op("Gather", Map.of("axis", 0L), sources, srcIdx);           // [B, r]
        Value dstPos = g.op("Expand", g.constLongs(partition.destinations()), g.constLongs(batch, nb));
        Value positions = g.op("Concat", Map.of("axis", 1L), unmPos, dstPos, srcPos); // [B, N]
        Value updates = g.op("Concat", Map.of("axis", 1L), unm, dst, src);            // [B, N, C]
        long n = (long) na + nb;
        Value zeros = g.op("Expand", g.constScalar(0f), g.constLongs(batch, n, c));
        return g.op("ScatterElements", Map.of("axis", 1L), zeros, alongChannels(positions, merged), updates);
    }

    /** [B,K] token indices -> [B,K,C], as GatherElements and ScatterElements want. */
    private Value alongChannels(Value idx, Value like) {
        Value expanded = g.op("Unsqueeze", idx, g.constLongs(-1));
        return g.op("Expand", expanded, g.constLongs(idx.dim(0), idx.dim(1), like.dim(2)));
    }

    private static Value normalize(GraphBuilder g, Value x) {
        Value norm = g.op("Sqrt", g.op("ReduceSum", Map.of("keepdims", 1L), g.mul(x, x), g.constLongs(-1)));
        return g.div(x, norm);
    }

    private static Value slice(GraphBuilder g, Value x, long start, long end) {
        return g.op("Slice", x, g.constLongs(start), g.constLongs(end), g.constLongs(1));
    }
}
