package org.attnbench.models.attention;

import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * The self-attention sub-block of a diffusers BasicTransformerBlock as one graph:
 * {@code out = x + to_out(attn(to_q(n), to_k(kv), to_v(kv)))}, {@code n = LayerNorm(x)}, where the
 * variant decides kv (dense: n; ToDo: n downsampled on the grid; tome-kv: n merged) or wraps the
 * whole attention in merge/unmerge (ToMe). Input and output are both {@code hidden_states} [B,N,C].
 */
public final class AttentionBlock {
    public static final String INPUT = "hidden_states";
    public static final String OUTPUT = "hidden_states_out";
    public static final float LAYER_NORM_EPS = 1e-5f;

    private AttentionBlock() {}

    public static OnnxModel build(AttentionShape shape, VariantSpec variant, Map<String, HostTensor> weights) {
        BlockWeights.validate(weights, shape.channels());
        Map<String, HostTensor> w = BlockWeights.asFloat32(weights);
        GraphBuilder g = new GraphBuilder("attention_" + variant.canonical());
        Value x = g.input(INPUT, DType.FLOAT32, shape.batch(), shape.tokens(), shape.channels());
        Value n;
        try (var s = g.scope("norm1")) {
            n = g.op("LayerNormalization", Map.of("axis", -1L, "epsilon", LAYER_NORM_EPS), x,
                    g.initializer(BlockWeights.NORM_WEIGHT, w.get(BlockWeights.NORM_WEIGHT)),
                    g.initializer(BlockWeights.NORM_BIAS, w.get(BlockWeights.NORM_BIAS)));
        }
        Projections p = new Projections(g, w);
        Value attended;
        try (var s = g.scope("attn1")) {
            if (variant instanceof VariantSpec.Todo t) {
                Value kv = TodoDownsample.apply(g, n, shape.height(), shape.width(), t.factor(), t.method());
                attended = p.attention(n, kv, shape.heads(), t.kernel());
            } else if (variant instanceof VariantSpec.Tome t) {
                attended = tome(g, p, x, n, shape, t);
            } else {
                attended = p.attention(n, n, shape.heads(), variant.kernel());
            }
        }
        g.output(OUTPUT, g.add(x, attended));
        return g.build();
    }

    private static Value tome(GraphBuilder g, Projections p, Value x, Value n, AttentionShape shape, VariantSpec.Tome t) {
        // The partition must be shared by the two halves of a guidance batch, so an odd batch
        // cannot use random destinations (the reference code forces use_rand off there too).
        boolean useRand = t.useRand() && shape.batch() % 2 == 0;
        TokenPartition partition = TokenPartition.of(shape.height(), shape.width(), t.sx(), t.sy(), useRand, t.seed());
        int r = partition.mergeCount(t.ratio());
        if (r == 0) return p.attention(n, n, shape.heads(), t.kernel()); // nothing merges: exactly dense
        TokenMerge m;
        try (var s = g.scope("tome")) {
            m = TokenMerge.match(g, x, partition, r);
        }
        if (t.kvOnly()) {
            Value kv = m.merge(n);
            return p.attention(n, kv, shape.heads(), t.kernel());
        }
        Value merged = m.merge(n);
        return m.unmerge(p.attention(merged, merged, shape.heads(), t.kernel()));
    }

    /** to_q, to_k, to_v (no bias) and to_out (with bias) around the attention core. */
    private record Projections(GraphBuilder g, Map<String, HostTensor> w) {
        Value attention(Value queries, Value kv, int heads, VariantSpec.Kernel kernel) {
            Value q = linear(queries, BlockWeights.TO_Q, null);
            Value k = linear(kv, BlockWeights.TO_K, null);
            Value v = linear(kv, BlockWeights.TO_V, null);
            return linear(AttentionCore.attend(g, q, k, v, heads, kernel), BlockWeights.TO_OUT, BlockWeights.TO_OUT_BIAS);
        }

        /** y = x W^T (+ b), W in PyTorch's [out, in] layout kept under its diffusers name. */
        private Value linear(Value in, String weight, String bias) {
            Value wt = g.transpose(weightValue(weight), 1, 0);
            Value y = g.matMul(in, wt);
            return bias == null ? y : g.add(y, weightValue(bias));
        }

        private Value weightValue(String name) {
            return g.hasValue(name) ? g.value(name) : g.initializer(name, w.get(name));
        }
    }
}
