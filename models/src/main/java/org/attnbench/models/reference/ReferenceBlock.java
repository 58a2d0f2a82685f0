package org.attnbench.models.reference;

import org.attnbench.models.attention.BlockMethod;

/**
 * The self-attention sub-block of a diffusers BasicTransformerBlock with a pluggable method:
 *
 * <pre>
 *   n   = norm1(x)                      LayerNorm over C, eps 1e-5
 *   out = x + to_out(attn(to_q(q), to_k(kv), to_v(kv)))
 * </pre>
 *
 * where the method's float64 twin ({@link BlockMethod#selfAttention}) chooses the tokens q and kv
 * come from, and unmerges what it merged: dense passes n as both, ToDo downsamples kv, ToMe merges
 * both and unmerges to_out's output (to_out acts per token, so unmerging before or after it is the
 * same), ToMe on K/V merges kv only.
 */
public final class ReferenceBlock {

    private ReferenceBlock() {}

    /**
     * Runs the sub-block.
     *
     * @param method the method's twin at this block
     * @param weights the seven tensors; C must match x
     * @param x block input [B][N][C], N = h * w tokens in row-major grid order
     * @param h grid height in tokens
     * @param w grid width in tokens
     * @param heads attention heads; must divide C
     * @return [B][N][C]
     */
    public static double[][][] forward(BlockMethod method, AttentionWeights weights, double[][][] x, int h, int w, int heads) {
        checkShapes(weights, x, h, w, heads);
        double[][][] out = new double[x.length][][];
        ReferenceLayer attn1 = (q, kv) -> new double[][][] {attendAndProject(weights, q.values(), kv.values(), heads)};
        for (int b = 0; b < x.length; b++) {
            double[][] n = ReferenceAttention.layerNorm(x[b], weights.normWeight(), weights.normBias());
            out[b] = residual(x[b], method.selfAttention(attn1, x[b], n, h, w, b, x.length)[0]);
        }
        return out;
    }

    /** to_out(attn(to_q(queriesFrom), to_k(kvFrom), to_v(kvFrom))). */
    private static double[][] attendAndProject(
            AttentionWeights weights, double[][] queriesFrom, double[][] kvFrom, int heads) {
        double[][] q = ReferenceAttention.linear(queriesFrom, weights.toQ(), null);
        double[][] k = ReferenceAttention.linear(kvFrom, weights.toK(), null);
        double[][] v = ReferenceAttention.linear(kvFrom, weights.toV(), null);
        double[][] a = ReferenceAttention.attention(q, k, v, heads);
        return ReferenceAttention.linear(a, weights.toOut(), weights.toOutBias());
    }

    private static double[][] residual(double[][] x, double[][] y) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) {
                out[t][k] = x[t][k] + y[t][k];
            }
        }
        return out;
    }

    private static void checkShapes(AttentionWeights weights, double[][][] x, int h, int w, int heads) {
        if (x.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        int c = weights.channels();
        if (heads < 1 || c % heads != 0) {
            throw new IllegalArgumentException("C = " + c + " is not divisible by " + heads + " heads");
        }
        for (double[][] element : x) {
            if (element.length != h * w) {
                throw new IllegalArgumentException("expected N = h*w = " + h * w + " tokens, got " + element.length);
            }
            for (double[] token : element) {
                if (token.length != c) {
                    throw new IllegalArgumentException("expected C = " + c + " channels, got " + token.length);
                }
            }
        }
    }
}
