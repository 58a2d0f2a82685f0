package org.attnbench.models.attention;

import java.util.function.Function;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * An attention of a transformer block as a graph fragment: {@code to_out(attn(to_q(queries),
 * to_k(kv), to_v(kv)))}, without the residual. A method decides what it is given
 * ({@link BlockRewrite#selfAttention}): dense passes the normalized tokens as both, ToDo passes them
 * downsampled as kv, ToMe passes merged tokens. It serves attn1 and attn2 alike (attn2: queries from
 * the tokens, keys and values from the text encoder's states, the to_k / to_v weights then mapping
 * cross_attention_dim to C).
 */
public final class SelfAttention implements AttentionLayer {
    private final GraphBuilder g;
    private final String prefix;
    private final Function<String, Value> weights;
    /** Whether to_q, to_k and to_v have biases (DiTs: attention_bias; SD's UNets: none). */
    private final boolean projectionBias;
    /** Keys each batch entry may attend to (attn2 over a padded caption), or null: all. */
    private final KeyPaddingMask keyMask;

    /**
     * @param prefix the diffusers module path of the attention, e.g. "attn1" or
     *     "down_blocks.0.attentions.0.transformer_blocks.0.attn1"
     * @param weights graph values of weights by full name (an initializer per name, added once)
     */
    public SelfAttention(GraphBuilder g, String prefix, Function<String, Value> weights) {
        this(g, prefix, weights, false);
    }

    public SelfAttention(GraphBuilder g, String prefix, Function<String, Value> weights, boolean projectionBias) {
        this(g, prefix, weights, projectionBias, null);
    }

    private SelfAttention(GraphBuilder g, String prefix, Function<String, Value> weights, boolean projectionBias,
            KeyPaddingMask keyMask) {
        this.g = g;
        this.prefix = prefix;
        this.weights = weights;
        this.projectionBias = projectionBias;
        this.keyMask = keyMask;
    }

    /** The same attention with its keys masked per batch entry (PixArt's caption mask on attn2). */
    public SelfAttention withKeyMask(KeyPaddingMask mask) {
        return new SelfAttention(g, prefix, weights, projectionBias, mask);
    }

    /** to_q, to_k, to_v (biased or not) and to_out (with bias) around the attention core. */
    @Override
    public Value attention(Value queries, Value kv, int heads, Kernel kernel) {
        Value q = linear(queries, "to_q.weight", projectionBias ? "to_q.bias" : null);
        Value k = linear(kv, "to_k.weight", projectionBias ? "to_k.bias" : null);
        Value v = linear(kv, "to_v.weight", projectionBias ? "to_v.bias" : null);
        return linear(AttentionCore.attend(g, q, k, v, heads, kernel, keyMask), "to_out.0.weight", "to_out.0.bias");
    }

    /** y = x W^T (+ b), W in PyTorch's [out, in] layout kept under its diffusers name. */
    private Value linear(Value in, String weight, String bias) {
        return g.linear(in, weights.apply(prefix + "." + weight), bias == null ? null : weights.apply(prefix + "." + bias));
    }
}
