package org.attnbench.models.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The seven tensors of a diffusers BasicTransformerBlock's self-attention sub-block, by their
 * diffusers names. Matrices use PyTorch's Linear layout [out][in], so {@code y = x W^T}.
 *
 * @param normWeight {@code norm1.weight} [C]
 * @param normBias {@code norm1.bias} [C]
 * @param toQ {@code attn1.to_q.weight} [C][C] (no bias, as in SD 1.x)
 * @param toK {@code attn1.to_k.weight} [C][C]
 * @param toV {@code attn1.to_v.weight} [C][C]
 * @param toOut {@code attn1.to_out.0.weight} [C][C]
 * @param toOutBias {@code attn1.to_out.0.bias} [C]
 */
public record AttentionWeights(
        double[] normWeight, double[] normBias,
        double[][] toQ, double[][] toK, double[][] toV,
        double[][] toOut, double[] toOutBias) {

    public static final String NORM_WEIGHT = "norm1.weight";
    public static final String NORM_BIAS = "norm1.bias";
    public static final String TO_Q = "attn1.to_q.weight";
    public static final String TO_K = "attn1.to_k.weight";
    public static final String TO_V = "attn1.to_v.weight";
    public static final String TO_OUT = "attn1.to_out.0.weight";
    public static final String TO_OUT_BIAS = "attn1.to_out.0.bias";

    public AttentionWeights {
        int c = normWeight.length;
        requireLength(NORM_BIAS, normBias, c);
        requireLength(TO_OUT_BIAS, toOutBias, c);
        requireSquare(TO_Q, toQ, c);
        requireSquare(TO_K, toK, c);
        requireSquare(TO_V, toV, c);
        requireSquare(TO_OUT, toOut, c);
    }

    /** Channel count C. */
    public int channels() {
        return normWeight.length;
    }

    /**
     * Seeded random weights, drawn from {@code new java.util.Random(seed).nextGaussian()} in this
     * order: norm1.weight, norm1.bias, to_q, to_k, to_v, to_out.0.weight, to_out.0.bias (matrices
     * row by row). java.util.Random's algorithms are fixed by its javadoc, so the same seed gives
     * the same weights on every JDK.
     *
     * <ul>
     *   <li>projections: N(0, 1) / sqrt(fan_in), fan_in = C, so activations keep unit scale (the
     *       std of PyTorch's default init is smaller, 1/sqrt(3 fan_in), but attention with tiny
     *       logits is nearly uniform and would hide differences between variants);
     *   <li>norm1.weight: 1 + 0.1 N(0, 1), near the trained value 1 but not trivially 1;
     *   <li>biases: 0.02 N(0, 1), small but nonzero so a dropped bias is caught.
     * </ul>
     */
    public static AttentionWeights random(long seed, int channels) {
        Random rng = new Random(seed);
        double[] normWeight = new double[channels];
        double[] normBias = new double[channels];
        for (int i = 0; i < channels; i++) {
            normWeight[i] = 1.0 + 0.1 * rng.nextGaussian();
        }
        for (int i = 0; i < channels; i++) {
            normBias[i] = 0.02 * rng.nextGaussian();
        }
        double[][] toQ = gaussianMatrix(rng, channels);
        double[][] toK = gaussianMatrix(rng, channels);
        double[][] toV = gaussianMatrix(rng, channels);
        double[][] toOut = gaussianMatrix(rng, channels);
        double[] toOutBias = new double[channels];
        for (int i = 0; i < channels; i++) {
            toOutBias[i] = 0.02 * rng.nextGaussian();
        }
        return new AttentionWeights(normWeight, normBias, toQ, toK, toV, toOut, toOutBias);
    }

    /** The tensors by diffusers name, flattened row-major, in a fixed order. */
    public Map<String, double[]> named() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put(NORM_WEIGHT, normWeight.clone());
        m.put(NORM_BIAS, normBias.clone());
        m.put(TO_Q, flatten(toQ));
        m.put(TO_K, flatten(toK));
        m.put(TO_V, flatten(toV));
        m.put(TO_OUT, flatten(toOut));
        m.put(TO_OUT_BIAS, toOutBias.clone());
        return m;
    }

    /** The shape of a named tensor: [C] for vectors, [C, C] for matrices. */
    public long[] shape(String name) {
        int c = channels();
        return switch (name) {
            case NORM_WEIGHT, NORM_BIAS, TO_OUT_BIAS -> new long[] {c};
            case TO_Q, TO_K, TO_V, TO_OUT -> new long[] {c, c};
            default -> throw new IllegalArgumentException("no attention weight named '" + name + "'");
        };
    }

    /** Rebuilds weights from flattened tensors keyed by diffusers name (the inverse of {@link #named()}). */
    public static AttentionWeights fromNamed(Map<String, double[]> tensors, int channels) {
        return new AttentionWeights(
                require(tensors, NORM_WEIGHT), require(tensors, NORM_BIAS),
                unflatten(TO_Q, require(tensors, TO_Q), channels),
                unflatten(TO_K, require(tensors, TO_K), channels),
                unflatten(TO_V, require(tensors, TO_V), channels),
                unflatten(TO_OUT, require(tensors, TO_OUT), channels),
                require(tensors, TO_OUT_BIAS));
    }

    private static double[][] gaussianMatrix(Random rng, int c) {
        double std = 1.0 / Math.sqrt(c);
        double[][] m = new double[c][c];
        for (double[] row : m) {
            for (int j = 0; j < c; j++) {
                row[j] = std * rng.nextGaussian();
            }
        }
        return m;
    }

    private static double[] require(Map<String, double[]> tensors, String name) {
        double[] t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing attention weight '" + name + "'");
        }
        return t.clone();
    }

    private static double[] flatten(double[][] m) {
        int cols = m[0].length;
        double[] flat = new double[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, flat, i * cols, cols);
        }
        return flat;
    }

    private static double[][] unflatten(String name, double[] flat, int c) {
        requireLength(name, flat, c * c);
        double[][] m = new double[c][c];
        for (int i = 0; i < c; i++) {
            System.arraycopy(flat, i * c, m[i], 0, c);
        }
        return m;
    }

    private static void requireLength(String name, double[] t, int n) {
        if (t.length != n) {
            throw new IllegalArgumentException(name + " has " + t.length + " values, expected " + n);
        }
    }

    private static void requireSquare(String name, double[][] m, int c) {
        if (m.length != c) {
            throw new IllegalArgumentException(name + " has " + m.length + " rows, expected " + c);
        }
        for (double[] row : m) {
            requireLength(name + " row", row, c);
        }
    }
}
