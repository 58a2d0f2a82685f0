package org.attnbench.models.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttentionWeightsTest {

    @Test
    void randomWeightsAreSeededAndNamedLikeDiffusers() {
        Map<String, double[]> a = AttentionWeights.random(3, 16).named();
        Map<String, double[]> b = AttentionWeights.random(3, 16).named();
        assertEquals(List.of("norm1.weight", "norm1.bias", "attn1.to_q.weight", "attn1.to_k.weight",
                "attn1.to_v.weight", "attn1.to_out.0.weight", "attn1.to_out.0.bias"), List.copyOf(a.keySet()));
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), 0.0, name);
        }
        assertTrue(a.get("attn1.to_q.weight")[0] != AttentionWeights.random(4, 16).named()
                .get("attn1.to_q.weight")[0]);
    }

    @Test
    void randomWeightsHaveTheDocumentedScale() {
        AttentionWeights w = AttentionWeights.random(5, 64);
        double sumSq = 0;
        for (double v : w.named().get(AttentionWeights.TO_K)) {
            sumSq += v * v;
        }
        assertEquals(1.0 / 64, sumSq / (64 * 64), 0.1 / 64); // variance 1 / fan_in
        double meanNorm = 0;
        for (double v : w.normWeight()) {
            meanNorm += v / 64;
        }
        assertEquals(1.0, meanNorm, 0.05);
    }

    @Test
    void namedTensorsRoundTripWithShapes() {
        AttentionWeights w = AttentionWeights.random(6, 4);
        AttentionWeights back = AttentionWeights.fromNamed(w.named(), 4);
        assertArrayEquals(w.toOut()[2], back.toOut()[2], 0.0);
        assertArrayEquals(new long[] {4, 4}, w.shape(AttentionWeights.TO_V));
        assertArrayEquals(new long[] {4}, w.shape(AttentionWeights.NORM_BIAS));
        Map<String, double[]> missing = w.named();
        missing.remove(AttentionWeights.TO_OUT_BIAS);
        assertThrows(IllegalArgumentException.class, () -> AttentionWeights.fromNamed(missing, 4));
    }
}
