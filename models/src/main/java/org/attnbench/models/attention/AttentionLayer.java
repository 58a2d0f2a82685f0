package org.attnbench.models.attention;

import org.attnbench.graph.Value;

/**
 * An attention a method rewrites: given the tokens its queries come from and the tokens its keys
 * and values come from, the layer's output for every query, without the residual. A method decides
 * what it passes ({@link BlockRewrite#selfAttention}); the layer decides what else attends
 * ({@link JointAttention} adds the text tokens of an MMDiT block).
 */
@FunctionalInterface
public interface AttentionLayer {
    Value attention(Value queries, Value kv, int heads, Kernel kernel);

    /**
     * What methods call: the tokens with the maps that made them. A layer that keeps per-token
     * state (rotary positions) reads the maps; others take the values.
     */
    default Value attention(Tokens queries, Tokens kv, int heads, Kernel kernel) {
        return attention(queries.values(), kv.values(), heads, kernel);
    }
}
