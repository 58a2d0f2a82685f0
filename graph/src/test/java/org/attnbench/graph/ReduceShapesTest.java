package org.attnbench.graph;

import static org.attnbench.graph.ShapeAssert.assertFails;
import static org.attnbench.graph.ShapeAssert.assertShape;
import static org.attnbench.graph.ShapeAssert.assertType;
import static org.attnbench.tensor.DType.FLOAT16;
import static org.attnbench.tensor.DType.FLOAT32;
import static org.attnbench.tensor.DType.INT64;

import java.util.List;
import java.util.Map;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class ReduceShapesTest {
    private final GraphBuilder g = new GraphBuilder("t");
    private final Value x = g.input("x", FLOAT32, 2, 3, 4);

    @Test
    void reduceMaxAndMeanTakeAxesAsAttribute() {
        assertShape(g.reduceMax(x, new long[] {-1}, true), 2, 3, 1);
        assertShape(g.reduceMean(x, new long[] {0, 2}, false), 3);
        assertShape(g.reduceMean(x, null, false), new long[0]);
        assertFails("takes axes as an attribute in opset 17", () -> g.op("ReduceMax", x, g.constLongs(1)));
        assertFails("is repeated", () -> g.reduceMax(x, new long[] {1, -2}, true));
    }

    @Test
    void reduceSumTakesAxesAsInput() {
        assertShape(g.reduceSum(x, new long[] {1}, true), 2, 1, 4);
        assertShape(g.reduceSum(x, new long[0], true), 1, 1, 1);
        assertShape(g.op("ReduceSum", List.of(x, g.constant(HostTensor.allocate(INT64, 0))),
                Map.of("noop_with_empty_axes", 1L), 1).get(0), 2, 3, 4);
        assertFails("ReduceSum has no attribute 'axes' in opset 17", () -> g.op("ReduceSum", Map.of("axes", new long[] {0}), x));
    }

    @Test
    void argMaxGivesInt64() {
        assertType(g.argMax(x, -1, false), INT64, 2, 3);
        assertType(g.argMax(x, 1, true), INT64, 2, 1, 4);
    }

    @Test
    void layerNormHasReducedStatisticsInStashType() {
        Value h = g.input("h", FLOAT16, 2, 3, 4);
        Value scale = g.input("s", FLOAT16, 3, 4);
        List<Value> outs = g.op("LayerNormalization", List.of(h, scale), Map.of("axis", 1L), 3);
        assertType(outs.get(0), FLOAT16, 2, 3, 4);
        assertType(outs.get(1), FLOAT32, 2, 1, 1);
        assertType(outs.get(2), FLOAT32, 2, 1, 1);
        assertType(g.layerNorm(h, g.input("s2", FLOAT16, 4), g.input("b", FLOAT16, 4), -1, 1e-5f), FLOAT16, 2, 3, 4);
        assertFails("Scale of shape [5] does not broadcast to [4]", () -> g.layerNorm(h, g.input("s3", FLOAT16, 5), null, -1, 1e-5f));
        assertFails("dtypes differ", () -> g.layerNorm(h, g.input("s4", FLOAT32, 4), null, -1, 1e-5f));
    }

    @Test
    void instanceNormChecksChannels() {
        Value img = g.input("img", FLOAT32, 1, 8, 16, 16);
        Value c8 = g.input("c8", FLOAT32, 8);
        assertShape(g.op("InstanceNormalization", img, c8, c8), 1, 8, 16, 16);
        Value c4 = g.input("c4", FLOAT32, 4);
        assertFails("scale of shape [4] does not broadcast to [8]", () -> g.op("InstanceNormalization", img, c4, c8));
    }
}
