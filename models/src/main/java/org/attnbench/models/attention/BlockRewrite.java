package org.attnbench.models.attention;

import java.util.function.UnaryOperator;
import org.attnbench.graph.Value;

/**
 * What a method does to one transformer block (diffusers' BasicTransformerBlock): the form of its
 * self-attention, and whether the cross-attention and the feed-forward run on fewer tokens. The
 * single attention block uses {@link #selfAttention} alone; a UNet block uses all three.
 */
@FunctionalInterface
public interface BlockRewrite {
    /** attn1 on the normalized tokens n [B, N, C]: to_out(attn(...)) for all N tokens, no residual. */
    Value selfAttention(AttentionLayer attn1, Value n, int heads);

    /** attn2 on n, given as a function of its query tokens; as is unless the method merges around it. */
    default Value crossAttention(Value n, UnaryOperator<Value> attn2) {
        return attn2.apply(n);
    }

    /** The feed-forward on n; as is unless the method merges around it. */
    default Value feedForward(Value n, UnaryOperator<Value> ff) {
        return ff.apply(n);
    }
}
