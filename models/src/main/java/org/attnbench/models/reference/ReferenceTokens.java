package org.attnbench.models.reference;

import java.util.function.UnaryOperator;

/**
 * Tokens a method hands a float64 attention, [M][C], with the map that made them from the block's N
 * tokens, so a layer that keeps something per token (Flux's rotary positions) makes it for these
 * tokens the same way: the float64 side of {@link org.attnbench.models.attention.Tokens}.
 *
 * @param fromAll maps any per-token array of the block, [N][k], to these tokens' [M][k]; null when
 *     these are the block's tokens themselves
 */
public record ReferenceTokens(double[][] values, UnaryOperator<double[][]> fromAll) {
    public static ReferenceTokens all(double[][] values) {
        return new ReferenceTokens(values, null);
    }

    /** What a per-token array of the block becomes for these tokens. */
    public double[][] select(double[][] perToken) {
        return fromAll == null ? perToken : fromAll.apply(perToken);
    }
}
