package org.attnbench.models.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReferenceAttentionTest {

    @Test
    void layerNormCentresAndScalesEachToken() {
        double[][] x = {{1, 2, 3, 4}, {-2, 0, 2, 8}};
        double[][] n = ReferenceAttention.layerNorm(x, new double[] {1, 1, 1, 1}, new double[4]);
        for (double[] row : n) {
            double mean = (row[0] + row[1] + row[2] + row[3]) / 4;
            double var = 0;
            for (double v : row) {
                var += (v - mean) * (v - mean);
            }
            assertEquals(0.0, mean, 1e-12);
            // Biased variance of the output: var / (var + eps).
            assertEquals(1.0, var / 4, 1e-5);
        }
        double[][] affine = ReferenceAttention.layerNorm(x, new double[] {2, 2, 2, 2}, new double[] {1, 1, 1, 1});
        assertEquals(2 * n[0][0] + 1, affine[0][0], 1e-12);
    }

    @Test
    void linearUsesTorchLayout() {
        double[][] w = {{1, 2}, {3, 4}, {5, 6}}; // [out = 3][in = 2]
        double[][] y = ReferenceAttention.linear(new double[][] {{1, -1}}, w, new double[] {0.5, 0, 0});
        assertArrayEquals(new double[] {-0.5, -1, -1}, y[0], 0.0);
    }

    @Test
    void oneKeyReturnsItsValue() {
        double[][] q = {{1, 2, 3, 4}, {-1, 0, 5, 2}};
        double[][] k = {{0.3, 0.1, -0.2, 0.7}};
        double[][] v = {{9, 8, 7, 6}};
        double[][] out = ReferenceAttention.attention(q, k, v, 2);
        assertArrayEquals(v[0], out[0], 1e-12);
        assertArrayEquals(v[0], out[1], 1e-12);
    }

    @Test
    void headsAttendOverTheirOwnChannels() {
        // Head 0 (channels 0-1) prefers key 0, head 1 (channels 2-3) key 1, strongly.
        double[][] q = {{10, 0, 0, 10}};
        double[][] k = {{10, 0, 0, -10}, {-10, 0, 0, 10}};
        double[][] v = {{1, 1, 1, 1}, {2, 2, 2, 2}};
        double[][] out = ReferenceAttention.attention(q, k, v, 2);
        assertArrayEquals(new double[] {1, 1, 2, 2}, out[0], 1e-9);
    }

    @Test
    void scaleIsOneOverSqrtHeadDim() {
        double[][] q = {{1, 1, 1, 1}};
        double[][] k = {{1, 1, 1, 1}, {0, 0, 0, 0}};
        double[][] v = {{1, 0, 0, 0}, {0, 0, 0, 0}};
        double[][] out = ReferenceAttention.attention(q, k, v, 1);
        double logit = 4 / Math.sqrt(4); // q.k / sqrt(d) = 2
        assertEquals(Math.exp(logit) / (Math.exp(logit) + 1), out[0][0], 1e-12);
    }
}
