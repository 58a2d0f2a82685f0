package org.attnbench.graph;

import static org.attnbench.graph.ShapeAssert.assertFails;
import static org.attnbench.graph.ShapeAssert.assertShape;
import static org.attnbench.graph.ShapeAssert.assertType;
import static org.attnbench.tensor.DType.FLOAT32;
import static org.attnbench.tensor.DType.INT64;

import java.util.List;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class IndexShapesTest {
    private final GraphBuilder g = new GraphBuilder("t");
    private final Value x = g.input("x", FLOAT32, 10, 5);

    private Value slice(long start, long end, long step) {
        return g.slice(x, new long[] {start}, new long[] {end}, new long[] {0}, new long[] {step});
    }

    @Test
    void sliceClampsOutOfRangeBounds() {
        assertShape(slice(-100, 1000, 1), 10, 5);
        assertShape(slice(2, 8, 2), 3, 5);
        assertShape(slice(8, 2, 1), 0, 5);
        assertShape(slice(-3, Long.MAX_VALUE, 1), 3, 5);
        assertShape(g.slice(x, new long[] {1, 1}, new long[] {3, -1}, null, null), 2, 3);
        assertShape(g.slice(x, new long[] {2}, new long[] {4}, new long[] {-1}, null), 10, 2);
    }

    @Test
    void sliceWithNegativeStepsWalksBackwards() {
        assertShape(slice(-1, Long.MIN_VALUE, -1), 10, 5);
        assertShape(slice(-1, -1000, -3), 4, 5);
        assertShape(slice(7, 2, -2), 3, 5);
        assertShape(slice(100, 0, -1), 9, 5);
        assertShape(slice(2, 7, -1), 0, 5);
    }

    @Test
    void sliceRefusesBadArguments() {
        assertFails("Slice step is 0", () -> slice(0, 5, 0));
        assertFails("differ in length", () -> g.slice(x, new long[] {0, 0}, new long[] {1}, null, null));
        assertFails("is repeated", () -> g.slice(x, new long[] {0, 0}, new long[] {1, 1}, new long[] {0, -2}, null));
    }

    @Test
    void gatherInsertsTheIndicesShape() {
        Value data = g.input("d", FLOAT32, 5, 4, 3);
        Value idx = g.input("i", INT64, 2, 6);
        assertShape(g.gather(data, idx, 1), 5, 2, 6, 3);
        assertShape(g.gather(data, idx, -1), 5, 4, 2, 6);
        assertShape(g.gather(data, g.constant(HostTensor.of(new long[] {4})), 0), 4, 3);
        assertFails("index 5 out of range for axis 0 of size 5",
                () -> g.gather(data, g.constant(HostTensor.of(new long[] {0, 5}, 2)), 0));
        assertFails("indices must be [INT32, INT64], got FLOAT32", () -> g.gather(data, x, 0));
    }

    @Test
    void gatherAndScatterElements() {
        Value data = g.input("d", FLOAT32, 4, 6);
        Value idx = g.input("i", INT64, 2, 6);
        assertShape(g.gatherElements(data, idx, 0), 2, 6);
        assertFails("indices rank 1 differs from data rank 2", () -> g.gatherElements(data, g.input("j", INT64, 3), 0));
        Value updates = g.input("u", FLOAT32, 2, 6);
        assertShape(g.scatterElements(data, idx, updates, -2, "add"), 4, 6);
        assertFails("reduction 'max' is not one of", () -> g.scatterElements(data, idx, updates, 0, "max"));
        assertFails("differ in shape", () -> g.scatterElements(data, idx, g.input("v", FLOAT32, 2, 5), 0, "none"));
    }

    @Test
    void topKReturnsValuesAndInt64Indices() {
        Value scores = g.input("s", FLOAT32, 3, 10);
        List<Value> top = g.topK(scores, 4, -1, true, true);
        assertType(top.get(0), FLOAT32, 3, 4);
        assertType(top.get(1), INT64, 3, 4);
        assertType(g.topK(scores, 2, 0, false, false).get(1), INT64, 2, 10);
        assertFails("must be one value in [0, 10]", () -> g.topK(scores, 11, 1, true, true));
    }
}
