package org.attnbench.models.reference;

import org.attnbench.models.attention.TokenPartition;

import java.util.List;

/**
 * The self-attention sub-block of a diffusers BasicTransformerBlock with a pluggable variant:
 *
 * <pre>
 *   n   = norm1(x)                      LayerNorm over C, eps 1e-5
 *   out = x + to_out(attn(to_q(n), to_k(kv), to_v(kv)))
 * </pre>
 *
 * <ul>
 *   <li>dense: kv = n.
 *   <li>ToDo: kv = D(n), {@link ReferenceDownsample}; queries stay at all N tokens.
 *   <li>ToMe: the plan is computed from x (before norm1); n is merged to N - r tokens, which are
 *       the queries, keys and values; to_out's output is unmerged back to N tokens before the
 *       residual (to_out acts per token, so unmerging before or after it is the same).
 *   <li>ToMe on K/V (ToDo's secondary method): the plan is computed from n = norm1(x), since
 *       ToDo's processor matches inside attn1 on attn1's own input (tomesd's full ToMe matches on x
 *       before norm1 instead); kv = merge(n); queries stay all N tokens of n; no unmerge.
 * </ul>
 *
 * <p>ToMe with r = 0 (ratio 0, or too small a grid) runs the dense path, as tomesd returns
 * identity merge functions for r <= 0; that also makes ratio 0 bit-identical to dense.
 */
public final class ReferenceBlock {

    private ReferenceBlock() {}

    /**
     * Runs the sub-block.
     *
     * @param variant which attention variant
     * @param weights the seven tensors; C must match x
     * @param x block input [B][N][C], N = h * w tokens in row-major grid order
     * @param h grid height in tokens
     * @param w grid width in tokens
     * @param heads attention heads; must divide C
     * @return [B][N][C]
     */
    public static double[][][] forward(
            VariantParams variant, AttentionWeights weights, double[][][] x, int h, int w, int heads) {
        checkShapes(weights, x, h, w, heads);
        double[][][] out = new double[x.length][][];
        if (variant instanceof VariantParams.TomeParams tome) {
            TokenPartition partition = ReferenceTokenMerge.partition(x.length, h, w, tome);
            if (partition.mergeCount(tome.ratio()) > 0) {
                List<MergePlan> plans = ReferenceTokenMerge.plans(tome.kvOnly() ? norms(weights, x) : x, partition,
                        tome.ratio());
                for (int b = 0; b < x.length; b++) {
                    out[b] = tomeElement(tome, plans.get(b), weights, x[b], heads);
                }
                return out;
            }
        }
        for (int b = 0; b < x.length; b++) {
            double[][] n = norm(weights, x[b]);
            double[][] kv = variant instanceof VariantParams.TodoParams todo
                    ? ReferenceDownsample.apply(n, h, w, todo.factor(), todo.method())
                    : n;
            out[b] = residual(x[b], attendAndProject(weights, n, kv, heads));
        }
        return out;
    }

    private static double[][] tomeElement(
            VariantParams.TomeParams tome, MergePlan plan, AttentionWeights weights, double[][] x, int heads) {
        double[][] n = norm(weights, x);
        double[][] merged = plan.merge(n);
        if (tome.kvOnly()) {
            return residual(x, attendAndProject(weights, n, merged, heads));
        }
        return residual(x, plan.unmerge(attendAndProject(weights, merged, merged, heads)));
    }

    private static double[][][] norms(AttentionWeights weights, double[][][] x) {
        double[][][] n = new double[x.length][][];
        for (int b = 0; b < x.length; b++) n[b] = norm(weights, x[b]);
        return n;
    }

    private static double[][] norm(AttentionWeights weights, double[][] x) {
        return ReferenceAttention.layerNorm(x, weights.normWeight(), weights.normBias());
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
