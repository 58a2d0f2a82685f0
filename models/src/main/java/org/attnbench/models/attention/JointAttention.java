package org.attnbench.models.attention;

import java.util.List;
import java.util.function.Function;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * The attention of an SD3 (MMDiT) block, diffusers' {@code JointAttnProcessor2_0}: image queries,
 * keys and values from {@code to_q/k/v}, the text tokens' own from {@code add_q/k/v_proj}, each
 * optionally RMS-normalized per head ({@code qk_norm}), and one attention over the image tokens
 * followed by the text tokens. The image part goes through {@code to_out.0}, the text part through
 * {@code to_add_out} ({@link #textOutput()}; none in the last block, whose text stream ends there).
 *
 * <p>A method sees only the image tokens: ToDo's downsampled tokens become the image keys and
 * values, ToMe's merged tokens the image queries, keys and values; the text tokens always attend
 * and are attended to whole. Without text ({@link #imageOnly}), it is SD 3.5's second, image-only
 * attention ({@code attn2}).
 */
public final class JointAttention implements AttentionLayer {
    private final GraphBuilder g;
    private final String prefix;
    private final Function<String, Value> weights;
    private final Value text;
    private final boolean textOut;
    private final boolean qkNorm;
    private final float eps;
    private Value textOutput;

    private JointAttention(GraphBuilder g, String prefix, Function<String, Value> weights, Value text, boolean textOut,
            boolean qkNorm, float eps) {
        this.g = g;
        this.prefix = prefix;
        this.weights = weights;
        this.text = text;
        this.textOut = textOut;
        this.qkNorm = qkNorm;
        this.eps = eps;
    }

    /**
     * @param text the normalized, modulated text tokens [B, L, C]
     * @param textOut whether the block projects the text part out ({@code to_add_out}); not in the last block
     */
    public static JointAttention joint(GraphBuilder g, String prefix, Function<String, Value> weights, Value text,
            boolean textOut, boolean qkNorm, float eps) {
        return new JointAttention(g, prefix, weights, text, textOut, qkNorm, eps);
    }

    /** SD 3.5's second attention: the image tokens alone, with the same projections and norms. */
    public static JointAttention imageOnly(GraphBuilder g, String prefix, Function<String, Value> weights, boolean qkNorm,
            float eps) {
        return new JointAttention(g, prefix, weights, null, false, qkNorm, eps);
    }

    @Override
    public Value attention(Value queries, Value kv, int heads, Kernel kernel) {
        Value q = normed(linear(queries, "to_q"), "norm_q", heads);
        Value k = normed(linear(kv, "to_k"), "norm_k", heads);
        Value v = linear(kv, "to_v");
        if (text == null) return linear(AttentionCore.attend(g, q, k, v, heads, kernel), "to_out.0");
        q = g.concat(1, q, normed(linear(text, "add_q_proj"), "norm_added_q", heads));
        k = g.concat(1, k, normed(linear(text, "add_k_proj"), "norm_added_k", heads));
        v = g.concat(1, v, linear(text, "add_v_proj"));
        List<Value> parts = g.split(AttentionCore.attend(g, q, k, v, heads, kernel), 1, queries.dim(1), text.dim(1));
        textOutput = textOut ? linear(parts.get(1), "to_add_out") : null;
        return linear(parts.get(0), "to_out.0");
    }

    /** The text tokens' output of the last {@link #attention} call, [B, L, C]; null when the block has none. */
    public Value textOutput() {
        return textOutput;
    }

    /** x RMS-normalized per head, times the norm's weight; x as is without qk_norm. */
    private Value normed(Value x, String norm, int heads) {
        return qkNorm ? HeadNorm.rms(g, x, weights.apply(prefix + "." + norm + ".weight"), heads, eps) : x;
    }

    private Value linear(Value x, String layer) {
        return g.linear(x, weights.apply(prefix + "." + layer + ".weight"), weights.apply(prefix + "." + layer + ".bias"));
    }
}
