package org.attnbench.models.reference;

/**
 * An attention of a float64 reference model, as a method's twin calls it ({@link
 * org.attnbench.models.attention.BlockMethod#selfAttention}): given the tokens its queries come from
 * and those its keys and values come from, its output for every query token, projected, without
 * the residual; then whatever else the layer returns (an MMDiT's text tokens), which methods pass
 * through untouched. The graph's counterpart is {@link org.attnbench.models.attention.AttentionLayer}.
 */
@FunctionalInterface
public interface ReferenceLayer {
    double[][][] attend(ReferenceTokens queries, ReferenceTokens kv);
}
