package org.attnbench.metrics.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class GraphCostTest {
    @Test
    void countsMatMulSoftmaxAndBytesByHand() {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", DType.FLOAT32, 2, 3, 4);
        Value w = g.initializer("w", HostTensor.of(new float[20], 4, 5));
        Value y = g.matMul(x, w);                        // [2,3,5]: 2*30*4 = 240 flops
        g.output("y", g.softmax(g.add(y, y), -1));       // add 30, softmax 5*30
        GraphCost c = GraphCost.of(g.build().proto());
        assertEquals(240 + 30 + 150, c.flops());
        assertEquals(240.0, c.flopsByOp().get("MatMul"));
        // inputs 24 floats, output 30 floats, weight 20 floats
        assertEquals((24 + 30 + 20) * 4, c.minimalBytes());
        // MatMul (24+20+30) + Add (30+30+30) + Softmax (30+30) + Identity (30+30) floats
        assertEquals((74 + 90 + 60 + 60) * 4, c.unfusedBytes());
        assertEquals(0.42, c.gflopsPerSecond(0.001), 1e-12);
    }
}
