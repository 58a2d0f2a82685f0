package org.attnbench.metrics.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** The memory a graph needs: weights, plus the most bytes alive at once when values die after their last use. */
class MemoryEstimateTest {
    @Test
    void peakIsTheLargestSetAliveAtOnce() {
        GraphBuilder g = new GraphBuilder("attention-like");
        Value x = g.input("x", DType.FLOAT32, 1, 100, 8);                                   // 3,200 B
        Value w = g.initializer("w", HostTensor.of(new float[8 * 8], 8, 8));                // 256 B of weights
        Value q = g.matMul(x, w);                                                           // 3,200 B
        Value scores = g.matMul(q, g.transpose(x, 0, 2, 1));                                // 40,000 B
        Value probs = g.softmax(scores, -1);                                                // 40,000 B
        g.output("y", g.matMul(probs, x));                                                  // 3,200 B
        MemoryEstimate e = MemoryEstimate.of(g.build().proto());
        assertEquals(256, e.weightBytes());
        // At the softmax: x (needed again), scores (its input) and probs are alive together.
        assertEquals(3_200 + 40_000 + 40_000, e.peakActivationBytes());
        assertEquals(40_000, e.largestValueBytes());
    }
}
