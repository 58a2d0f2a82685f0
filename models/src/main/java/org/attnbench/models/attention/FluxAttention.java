package org.attnbench.models.attention;

import java.util.List;
import java.util.function.Function;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * The attention of a Flux block, diffusers' {@code FluxAttnProcessor2_0}: q, k, v, q and k
 * RMS-normalized per head, the text tokens first and the image tokens after them in one attention,
 * image queries and keys rotated by their positions ({@link RotaryPositions}; text tokens sit at
 * position 0, which rotates nothing).
 * <ul>
 *   <li>double-stream blocks: the text tokens have projections and norms of their own
 *       ({@code add_q/k/v_proj}, {@code norm_added_q/k}); the image part goes out through
 *       {@code to_out.0}, the text part through {@code to_add_out};</li>
 *   <li>single-stream blocks: text and image tokens share {@code to_q/k/v} and the norms, and the
 *       output is not projected (the block's {@code proj_out} does it with the MLP's).</li>
 * </ul>
 * A method sees only the image tokens, as in {@link JointAttention}: ToDo's keys and values carry
 * the positions of what they were made from, ToMe's merged tokens the mean of theirs.
 */
public final class FluxAttention implements AttentionLayer {
    private static final float EPS = 1e-6f;
    private final GraphBuilder g;
    private final String prefix;
    private final Function<String, Value> weights;
    private final Value text;
    private final boolean doubleStream;
    private final RotaryPositions rotary;
    private Value textOutput;

    private FluxAttention(GraphBuilder g, String prefix, Function<String, Value> weights, Value text, boolean doubleStream,
            RotaryPositions rotary) {
        this.g = g;
        this.prefix = prefix;
        this.weights = weights;
        this.text = text;
        this.doubleStream = doubleStream;
        this.rotary = rotary;
    }

    /** A double-stream block's attention; text: its normalized, modulated text tokens [B, L, C]. */
    public static FluxAttention doubleStream(GraphBuilder g, String prefix, Function<String, Value> weights, Value text,
            RotaryPositions rotary) {
        return new FluxAttention(g, prefix, weights, text, true, rotary);
    }

    /** A single-stream block's attention, over the text tokens and the image tokens with the same projections. */
    public static FluxAttention singleStream(GraphBuilder g, String prefix, Function<String, Value> weights, Value text,
            RotaryPositions rotary) {
        return new FluxAttention(g, prefix, weights, text, false, rotary);
    }

    /** Queries and keys/values given as the grid's own image tokens. */
    @Override
    public Value attention(Value queries, Value kv, int heads, Kernel kernel) {
        return attention(Tokens.all(queries), Tokens.all(kv), heads, kernel);
    }

    @Override
    public Value attention(Tokens queries, Tokens kv, int heads, Kernel kernel) {
        Value q = rotary.rotate(normed(linear(queries.values(), "to_q"), "norm_q", heads), queries, heads);
        Value k = rotary.rotate(normed(linear(kv.values(), "to_k"), "norm_k", heads), kv, heads);
        Value v = linear(kv.values(), "to_v");
        String tq = doubleStream ? "add_q_proj" : "to_q", tk = doubleStream ? "add_k_proj" : "to_k";
        String tv = doubleStream ? "add_v_proj" : "to_v";
        q = g.concat(1, normed(linear(text, tq), doubleStream ? "norm_added_q" : "norm_q", heads), q);
        k = g.concat(1, normed(linear(text, tk), doubleStream ? "norm_added_k" : "norm_k", heads), k);
        v = g.concat(1, linear(text, tv), v);
        List<Value> parts = g.split(AttentionCore.attend(g, q, k, v, heads, kernel), 1, text.dim(1), queries.values().dim(1));
        if (!doubleStream) {
            textOutput = parts.get(0);
            return parts.get(1);
        }
        textOutput = linear(parts.get(0), "to_add_out");
        return linear(parts.get(1), "to_out.0");
    }

    /** The text tokens' output of the last {@link #attention} call, [B, L, C]: projected in double-stream blocks, raw in single. */
    public Value textOutput() {
        return textOutput;
    }

    private Value normed(Value x, String norm, int heads) {
        return HeadNorm.rms(g, x, weights.apply(prefix + "." + norm + ".weight"), heads, EPS);
    }

    private Value linear(Value x, String layer) {
        return g.linear(x, weights.apply(prefix + "." + layer + ".weight"), weights.apply(prefix + "." + layer + ".bias"));
    }
}
