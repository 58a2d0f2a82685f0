package org.attnbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** libtorch's scaled_dot_product_attention, reached through the written TorchScript module, against softmax attention in float64. */
class TorchSdpaTest {
    private static final int B = 2, H = 3, S = 5, L = 7, D = 4;

    @Test
    void matchesSoftmaxAttentionWithItsScale() {
        Random rnd = new Random(3);
        float[] q = draw(rnd, B * H * S * D);
        float[] k = draw(rnd, B * H * L * D);
        float[] v = draw(rnd, B * H * L * D);
        double scale = 0.3;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray out = TorchSdpa.attention(m.create(q, new Shape(B, H, S, D)), m.create(k, new Shape(B, H, L, D)),
                    m.create(v, new Shape(B, H, L, D)), scale, m);
            assertEquals(new Shape(B, H, S, D), out.getShape());
            assertArrayEquals(reference(q, k, v, scale), toDoubles(out.toFloatArray()), 1e-5);
        }
    }

    @Test
    void anAdditiveMaskDropsPaddedKeysPerBatchEntry() {
        Random rnd = new Random(5);
        float[] q = draw(rnd, B * H * S * D);
        float[] k = draw(rnd, B * H * L * D);
        float[] v = draw(rnd, B * H * L * D);
        int[] keys = {L, 3}; // entry 1 keeps its first 3 keys: the same as attending to those alone
        float[] bias = new float[B * L];
        for (int j = 3; j < L; j++) bias[L + j] = -10000f;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] out = TorchSdpa.attention(m.create(q, new Shape(B, H, S, D)), m.create(k, new Shape(B, H, L, D)),
                    m.create(v, new Shape(B, H, L, D)), m.create(bias, new Shape(B, 1, 1, L)), 0.5, m).toFloatArray();
            double[] all = reference(q, k, v, 0.5);
            for (int b = 0; b < B; b++) {
                double[] want = keys[b] == L ? all : firstKeys(q, k, v, 0.5, keys[b]);
                for (int i = b * H * S * D; i < (b + 1) * H * S * D; i++) assertEquals(want[i], out[i], 1e-5, "element " + i);
            }
        }
    }

    /** The reference with only the first n keys of every head. */
    private static double[] firstKeys(float[] q, float[] k, float[] v, double scale, int n) {
        double[] out = new double[B * H * S * D];
        for (int bh = 0; bh < B * H; bh++) {
            for (int i = 0; i < S; i++) {
                double[] p = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < D; c++) p[j] += q[(bh * S + i) * D + c] * (double) k[(bh * L + j) * D + c];
                    p[j] *= scale;
                    max = Math.max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j < n; j++) sum += p[j] = Math.exp(p[j] - max);
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < D; c++) out[(bh * S + i) * D + c] += p[j] / sum * v[(bh * L + j) * D + c];
                }
            }
        }
        return out;
    }

    @Test
    void runsInFloat16() {
        Random rnd = new Random(4);
        float[] q = draw(rnd, B * H * S * D);
        float[] k = draw(rnd, B * H * L * D);
        float[] v = draw(rnd, B * H * L * D);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray out = TorchSdpa.attention(half(m, q, S), half(m, k, L), half(m, v, L), 0.5, m);
            assertEquals(DataType.FLOAT16, out.getDataType());
            assertArrayEquals(reference(q, k, v, 0.5), toDoubles(out.toType(DataType.FLOAT32, false).toFloatArray()), 1e-2);
        }
    }

    private static NDArray half(NDManager m, float[] x, int tokens) {
        return m.create(x, new Shape(B, H, tokens, D)).toType(DataType.FLOAT16, false);
    }

    private static double[] reference(float[] q, float[] k, float[] v, double scale) {
        double[] out = new double[B * H * S * D];
        for (int bh = 0; bh < B * H; bh++) {
            for (int i = 0; i < S; i++) {
                double[] p = new double[L];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < L; j++) {
                    for (int c = 0; c < D; c++) p[j] += q[(bh * S + i) * D + c] * (double) k[(bh * L + j) * D + c];
                    p[j] *= scale;
                    max = Math.max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j < L; j++) sum += p[j] = Math.exp(p[j] - max);
                for (int j = 0; j < L; j++) {
                    for (int c = 0; c < D; c++) out[(bh * S + i) * D + c] += p[j] / sum * v[(bh * L + j) * D + c];
                }
            }
        }
        return out;
    }

    private static float[] draw(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    private static double[] toDoubles(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
