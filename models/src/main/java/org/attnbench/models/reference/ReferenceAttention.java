package org.attnbench.models.reference;

/**
 * The building blocks of the self-attention sub-block, on token matrices [tokens][C] in double.
 */
public final class ReferenceAttention {

    /** torch.nn.LayerNorm's default epsilon, which diffusers' BasicTransformerBlock keeps. */
    public static final double LAYER_NORM_EPS = 1e-5;

    private ReferenceAttention() {}

    /**
     * LayerNorm over the channels of each token, as torch.nn.LayerNorm: biased variance (divide by
     * C), epsilon inside the square root, then the affine weight and bias.
     */
    public static double[][] layerNorm(double[][] x, double[] weight, double[] bias) {
        int c = weight.length;
        double[][] out = new double[x.length][c];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (int k = 0; k < c; k++) {
                mean += x[t][k];
            }
            mean /= c;
            double var = 0;
            for (int k = 0; k < c; k++) {
                double d = x[t][k] - mean;
                var += d * d;
            }
            var /= c;
            double inv = 1.0 / Math.sqrt(var + LAYER_NORM_EPS);
            for (int k = 0; k < c; k++) {
                out[t][k] = (x[t][k] - mean) * inv * weight[k] + bias[k];
            }
        }
        return out;
    }

    /** torch.nn.Linear: {@code y = x W^T + b}, W in [out][in] layout; {@code bias} may be null. */
    public static double[][] linear(double[][] x, double[][] weight, double[] bias) {
        double[][] y = new double[x.length][weight.length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < weight.length; o++) {
                double acc = bias == null ? 0.0 : bias[o];
                double[] row = weight[o];
                for (int i = 0; i < row.length; i++) {
                    acc += x[t][i] * row[i];
                }
                y[t][o] = acc;
            }
        }
        return y;
    }

    /**
     * Multi-head scaled dot-product attention without projections: channels split into
     * {@code heads} contiguous groups of C / heads (diffusers' head_to_batch_dim order), scale
     * 1 / sqrt(head_dim), softmax over the keys (max-subtracted, which changes nothing in exact
     * arithmetic), outputs of the heads concatenated back in the same order.
     *
     * @param q [Nq][C]
     * @param k [Nk][C]
     * @param v [Nk][C]
     * @return [Nq][C]
     */
    public static double[][] attention(double[][] q, double[][] k, double[][] v, int heads) {
        return attention(q, k, v, heads, null);
    }

    /** As above, {@code keyBias[j]} added to every score of key j (an attention mask as a bias); null adds nothing. */
    public static double[][] attention(double[][] q, double[][] k, double[][] v, int heads, double[] keyBias) {
        int c = q[0].length;
        if (c % heads != 0) {
            throw new IllegalArgumentException("C = " + c + " is not divisible by " + heads + " heads");
        }
        int d = c / heads;
        double scale = 1.0 / Math.sqrt(d);
        double[][] out = new double[q.length][c];
        double[] p = new double[k.length];
        for (int h = 0; h < heads; h++) {
            int off = h * d;
            for (int i = 0; i < q.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k.length; j++) {
                    double s = 0;
                    for (int e = 0; e < d; e++) {
                        s += q[i][off + e] * k[j][off + e];
                    }
                    p[j] = s * scale + (keyBias == null ? 0 : keyBias[j]);
                    max = Math.max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j < k.length; j++) {
                    p[j] = Math.exp(p[j] - max);
                    sum += p[j];
                }
                for (int j = 0; j < k.length; j++) {
                    double wgt = p[j] / sum;
                    for (int e = 0; e < d; e++) {
                        out[i][off + e] += wgt * v[j][off + e];
                    }
                }
            }
        }
        return out;
    }
}
