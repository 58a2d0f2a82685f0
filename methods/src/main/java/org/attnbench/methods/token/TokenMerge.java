package org.attnbench.methods.token;

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
public final class TokenMerge {
    private final GraphBuilder g;
    private final int r;
    private final int sourceCount;
    private final int destinationCount;
    private final Value sources;      // [Na] token positions of the sources, ascending
    private final Value destinations; // [Nb] token positions of the destinations, ascending
    private final Value srcIdx;       // [B, r]      merged sources, in rank order (positions among sources)
    private final Value unmIdx;       // [B, Na - r] kept sources, in rank order
    private final Value dstIdx;       // [B, r]      destination of each merged source

    private TokenMerge(GraphBuilder g, TokenPartition partition, int r, Value metric) {
        this.g = g;
        this.r = r;
        this.sourceCount = partition.sources().length;
        this.destinationCount = partition.destinations().length;
        this.sources = g.constLongs(TokenPartition.asLongs(partition.sources()));
        this.destinations = g.constLongs(TokenPartition.asLongs(partition.destinations()));
        Value a = normalize(gatherTokens(metric, sources));
        Value b = normalize(gatherTokens(metric, destinations));
        Value scores = g.matMul(a, g.transpose(b, 0, 2, 1));                         // [B, Na, Nb]
        Value nodeMax = g.op("ReduceMax", Map.of("axes", new long[] {-1}, "keepdims", 0L), scores);
        Value nodeIdx = g.op("ArgMax", Map.of("axis", -1L, "keepdims", 0L), scores);   // [B, Na]
        Value edgeIdx = g.op("TopK", List.of(nodeMax, g.constLongs(sourceCount)),
                Map.of("axis", -1L, "largest", 1L, "sorted", 1L), 2).get(1);         // [B, Na]
        this.srcIdx = slice(edgeIdx, 0, r);
        this.unmIdx = slice(edgeIdx, r, sourceCount);
        this.dstIdx = g.op("GatherElements", Map.of("axis", 1L), nodeIdx, srcIdx);
    }

    /**
     * The merge of one transformer block: matched on its input x [B, h*w, C]; null when nothing
     * merges (r = 0). The partition must be shared by the two halves of a guidance batch, so an
     * odd batch cannot use random destinations (the reference code forces use_rand off there too).
     */
    public static TokenMerge forBlock(GraphBuilder g, Value x, int h, int w, Tome t) {
        boolean useRand = t.useRand() && x.dim(0) % 2 == 0;
        TokenPartition partition = TokenPartition.of(h, w, t.sx(), t.sy(), useRand, t.seed());
        int r = partition.mergeCount(t.ratio());
        if (r == 0) return null;
        try (var s = g.scope("tome")) {
            return match(g, x, partition, r);
        }
    }

    /** Matches sources to destinations on {@code metric} [B,N,C]; r sources will merge. */
    static TokenMerge match(GraphBuilder g, Value metric, TokenPartition partition, int r) {
        return new TokenMerge(g, partition, r, metric);
    }

    /** [B,N,C] -> [B,N-r,C]: kept sources, then destinations averaged with their merged sources. */
    public Value merge(Value x) {
        Value a = gatherTokens(x, sources);
        Value b = gatherTokens(x, destinations);
        Value unm = g.op("GatherElements", Map.of("axis", 1L), a, alongChannels(unmIdx, x));
        Value src = g.op("GatherElements", Map.of("axis", 1L), a, alongChannels(srcIdx, x));
        Value sums = g.op("ScatterElements", Map.of("axis", 1L, "reduction", "add"), b, alongChannels(dstIdx, x), src);
        // counts[j] = 1 + number of sources merged into destination j
        long batch = x.dim(0);
        Value ones = g.op("Expand", g.constScalar(1f), g.constLongs(batch, destinationCount, 1));
        Value onesR = g.op("Expand", g.constScalar(1f), g.constLongs(batch, r, 1));
        Value counts = g.op("ScatterElements", Map.of("axis", 1L, "reduction", "add"),
                ones, g.op("Unsqueeze", dstIdx, g.constLongs(-1)), onesR);
        return g.op("Concat", Map.of("axis", 1L), unm, g.div(sums, counts));
    }

    /** f applied to the merged tokens of x [B,N,C], its output unmerged back to N tokens. */
    public Value around(Value x, java.util.function.UnaryOperator<Value> f) {
        return unmerge(f.apply(merge(x)));
    }

    /** [B,N-r,C] -> [B,N,C]: every token gets its own output, merged sources their destination's. */
    public Value unmerge(Value merged) {
        long batch = merged.dim(0);
        int kept = sourceCount - r;
        Value unm = slice(merged, 0, kept);
        Value dst = slice(merged, kept, kept + destinationCount);
        Value src = g.op("GatherElements", Map.of("axis", 1L), dst, alongChannels(dstIdx, merged));
        Value unmPos = g.op("Gather", Map.of("axis", 0L), sources, unmIdx);            // [B, Na-r]
        Value srcPos = g.op("Gather", Map.of("axis", 0L), sources, srcIdx);            // [B, r]
        Value dstPos = g.op("Expand", destinations, g.constLongs(batch, destinationCount));
        Value positions = g.op("Concat", Map.of("axis", 1L), unmPos, dstPos, srcPos);  // [B, N]
        Value updates = g.op("Concat", Map.of("axis", 1L), unm, dst, src);             // [B, N, C]
        long n = (long) sourceCount + destinationCount;
        Value zeros = g.op("Expand", g.constScalar(0f), g.constLongs(batch, n, merged.dim(2)));
        return g.op("ScatterElements", Map.of("axis", 1L), zeros, alongChannels(positions, merged), updates);
    }

    private Value gatherTokens(Value x, Value positions) {
        return g.op("Gather", Map.of("axis", 1L), x, positions);
    }

    /** [B,K] token indices -> [B,K,C], as GatherElements and ScatterElements want. */
    private Value alongChannels(Value idx, Value like) {
        Value expanded = g.op("Unsqueeze", idx, g.constLongs(-1));
        return g.op("Expand", expanded, g.constLongs(idx.dim(0), idx.dim(1), like.dim(2)));
    }

    private Value normalize(Value x) {
        Value norm = g.op("Sqrt", g.op("ReduceSum", Map.of("keepdims", 1L), g.mul(x, x), g.constLongs(-1)));
        return g.div(x, norm);
    }

    private Value slice(Value x, long start, long end) {
        return g.op("Slice", x, g.constLongs(start), g.constLongs(end), g.constLongs(1));
    }
}
