package org.attnbench.text.reference;

import org.attnbench.models.unet.WeightSource;
import org.attnbench.text.encoder.T5EncoderConfig;

/**
 * T5 v1.1's encoder in float64, from its definition: the shared embedding; per block
 * x + o(attn(RMS(x))) with unscaled scores plus block 0's relative position bias (the same in every
 * block), keys the mask leaves out not attended, then x + wo(gelu_tanh(wi_0 h) * wi_1 h) on
 * h = RMS(x); the final RMS norm. Buckets here come from exact double arithmetic, independent of
 * the graph's float32 emulation of torch's (a test holds both to torch's own table).
 */
public final class ReferenceT5Encoder {
    private final T5EncoderConfig c;
    private final Weights w;

    public ReferenceT5Encoder(T5EncoderConfig config, WeightSource weights) {
        this.c = config;
        this.w = new Weights(weights);
    }

    /** The last hidden state [L][d_model] for one sequence's ids; {@code mask} (1 attended, 0 not) may be null. */
    public double[][] encode(long[] ids, long[] mask) {
        int l = ids.length;
        double[][] table = w.matrix("shared.weight");
        double[][] x = new double[l][];
        for (int t = 0; t < l; t++) x[t] = table[(int) ids[t]].clone();
        double[][] perBucket = w.matrix("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight");
        double[][][] bias = new double[c.heads()][l][l];
        boolean[][] attends = new boolean[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                int bucket = bucket(j - i);
                for (int h = 0; h < c.heads(); h++) bias[h][i][j] = perBucket[bucket][h];
                attends[i][j] = mask == null || mask[j] != 0;
            }
        }
        for (int b = 0; b < c.layers(); b++) {
            String p = "encoder.block." + b + ".layer.";
            double[][] h = rms(x, p + "0.layer_norm.weight");
            double[][] q = linear(h, p + "0.SelfAttention.q");
            double[][] k = linear(h, p + "0.SelfAttention.k");
            double[][] v = linear(h, p + "0.SelfAttention.v");
            x = Rows.add(x, linear(Rows.attention(q, k, v, c.heads(), c.dKv(), 1, bias, attends), p + "0.SelfAttention.o"));
            h = rms(x, p + "1.layer_norm.weight");
            double[][] gate = Rows.map(linear(h, p + "1.DenseReluDense.wi_0"),
                    z -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))));
            double[][] up = linear(h, p + "1.DenseReluDense.wi_1");
            for (int t = 0; t < l; t++) for (int i = 0; i < up[t].length; i++) up[t][i] *= gate[t][i];
            x = Rows.add(x, linear(up, p + "1.DenseReluDense.wo"));
        }
        return rms(x, "encoder.final_layer_norm.weight");
    }

    /**
     * The bucket of a key {@code relative} positions after the query: keys after it use the upper
     * half of the buckets; distances below a quarter of the buckets get one each, larger ones
     * share logarithmically wider buckets up to max_distance, and the half's last bucket beyond.
     */
    int bucket(int relative) {
        int half = c.buckets() / 2;
        int exact = half / 2;
        int base = relative > 0 ? half : 0;
        int distance = Math.abs(relative);
        if (distance < exact) return base + distance;
        double log = Math.log((double) distance / exact) / Math.log((double) c.maxDistance() / exact);
        return base + Math.min(half - 1, exact + (int) Math.floor(log * (half - exact)));
    }

    private double[][] rms(double[][] x, String name) {
        return Rows.rmsNorm(x, w.vector(name), c.layerNormEps());
    }

    private double[][] linear(double[][] x, String prefix) {
        return Rows.linear(x, w.matrix(prefix + ".weight"), null);
    }
}
