package org.attnbench.models.attention;

import java.util.function.UnaryOperator;
import org.attnbench.graph.Value;

/**
 * Tokens a method hands an attention layer, [B, M, C], with the map that made them from the
 * block's N tokens. A layer that keeps something else per token (Flux's rotary positions) makes it
 * for these tokens with the same map: the keys ToDo downsampled carry positions downsampled the same
 * way, the tokens ToMe merged carry the mean of the merged positions.
 *
 * @param fromAll maps any per-token tensor of the block, [B, N, k], to these tokens' [B, M, k];
 *     null when these are the block's tokens themselves
 */
public record Tokens(Value values, UnaryOperator<Value> fromAll) {
    /** The block's own tokens. */
    public static Tokens all(Value values) {
        return new Tokens(values, null);
    }

    public boolean isAll() {
        return fromAll == null;
    }

    /** What a per-token tensor of the block becomes for these tokens. */
    public Value select(Value perToken) {
        return fromAll == null ? perToken : fromAll.apply(perToken);
    }
}
