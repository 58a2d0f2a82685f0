package org.attnbench.models.attention;

import java.util.function.Function;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * attn1 of a transformer block with a variant plugged in, as a graph fragment: from the block
 * input x (tomesd's metric) and its normalized copy n, returns {@code to_out(attn(to_q(.), to_k(kv),
 * to_v(kv)))} for all N tokens, without the residual. The variant decides kv (dense: n; ToDo: n
 * downsampled on the grid; tome-kv: n merged, matched on n itself, since ToDo's secondary method
 * computes its merge inside attn1 from attn1's input) or wraps the whole attention in merge/unmerge
 * (ToMe, matched on x as tomesd computes it once per block from the block's input).
 * This is the one place variants are wired, for the single block and for every block of a UNet;
 * {@link #attention} alone also serves attn2 (queries from the tokens, keys and values from the text
 * encoder's states: the to_k / to_v weights then map cross_attention_dim to C).
 */
public final class SelfAttention {
    private final GraphBuilder g;
    private final String prefix;
    private final Function<String, Value> weights;

    /**
     * @param prefix the diffusers module path of the attention, e.g. "attn1" or
     *     "down_blocks.0.attentions.0.transformer_blocks.0.attn1"
     * @param weights graph values of weights by full name (an initializer per name, added once)
     */
    public SelfAttention(GraphBuilder g, String prefix, Function<String, Value> weights) {
        this.g = g;
        this.prefix = prefix;
        this.weights = weights;
    }

    /** x and n are [B, h*w, C] in row-major grid order. */
    public Value apply(Value x, Value n, int h, int w, int heads, VariantSpec variant) {
        if (variant instanceof VariantSpec.Todo t) {
            return attention(n, TodoDownsample.apply(g, n, h, w, t.factor(), t.method()), heads, t.kernel());
        }
        if (variant instanceof VariantSpec.Tome t) {
            // tomesd matches on the block input x; ToDo's secondary (tome-kv) matches inside attn1, on n.
            TokenMerge m = TokenMerge.forBlock(g, t.kvOnly() ? n : x, h, w, t);
            if (m == null) return attention(n, n, heads, t.kernel()); // nothing merges: exactly dense
            if (t.kvOnly()) return attention(n, m.merge(n), heads, t.kernel());
            return m.around(n, merged -> attention(merged, merged, heads, t.kernel()));
        }
        return attention(n, n, heads, variant.kernel());
    }

    /** to_q, to_k, to_v (no bias) and to_out (with bias) around the attention core. */
    public Value attention(Value queries, Value kv, int heads, VariantSpec.Kernel kernel) {
        Value q = linear(queries, "to_q.weight", null);
        Value k = linear(kv, "to_k.weight", null);
        Value v = linear(kv, "to_v.weight", null);
        return linear(AttentionCore.attend(g, q, k, v, heads, kernel), "to_out.0.weight", "to_out.0.bias");
    }

    /** y = x W^T (+ b), W in PyTorch's [out, in] layout kept under its diffusers name. */
    private Value linear(Value in, String weight, String bias) {
        return g.linear(in, weights.apply(prefix + "." + weight), bias == null ? null : weights.apply(prefix + "." + bias));
    }
}
