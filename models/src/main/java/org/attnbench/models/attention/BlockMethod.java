package org.attnbench.models.attention;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.reference.ReferenceLayer;
import org.attnbench.models.reference.ReferenceTokens;

/**
 * What a token method does to one transformer block, in the two forms the project holds a network
 * in: the graph rewrite, and its float64 twin, which every model's reference calls where its graph
 * calls the rewrite. A network knows nothing of the methods that implement this; its unpatched
 * blocks use {@link #unpatched}.
 */
public interface BlockMethod {
    /**
     * The rewrite of one block whose input is x [B, h*w, C] on an h x w grid. Called once per block,
     * before the block's first norm, so a method can match tokens on x.
     */
    BlockRewrite rewrite(GraphBuilder g, Value x, int h, int w);

    /**
     * The block's self-attention in float64, for one image of a batch: what {@link
     * BlockRewrite#selfAttention} computes in the graph.
     *
     * @param attn1 the layer: given the tokens of the queries and of the keys/values, its output
     *     for every query first (then what else it returns, such as an MMDiT's text tokens)
     * @param x the block's input [N][C] (N = h * w image tokens, row-major), which ToMe matches on
     * @param n attn1's normalized input [N][C]
     * @param image which image of the batch x is (a random partition is drawn for the whole batch)
     * @param batch the batch's size (ToMe forces its random partition off for an odd batch)
     * @return the layer's outputs, the first one for all N tokens
     */
    double[][][] selfAttention(ReferenceLayer attn1, double[][] x, double[][] n, int h, int w, int image, int batch);

    /** The network's own attention: every token is a query and a key, on the given kernel. */
    static BlockMethod unpatched(Kernel kernel) {
        return new BlockMethod() {
            public BlockRewrite rewrite(GraphBuilder g, Value x, int h, int w) {
                return (attn1, n, heads) -> attn1.attention(Tokens.all(n), Tokens.all(n), heads, kernel);
            }

            public double[][][] selfAttention(ReferenceLayer attn1, double[][] x, double[][] n, int h, int w, int image,
                    int batch) {
                return attn1.attend(ReferenceTokens.all(n), ReferenceTokens.all(n));
            }
        };
    }
}
