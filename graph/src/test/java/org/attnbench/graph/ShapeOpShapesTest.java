package org.attnbench.graph;

import static org.attnbench.graph.ShapeAssert.assertFails;
import static org.attnbench.graph.ShapeAssert.assertShape;
import static org.attnbench.graph.ShapeAssert.assertType;
import static org.attnbench.tensor.DType.FLOAT16;
import static org.attnbench.tensor.DType.FLOAT32;
import static org.attnbench.tensor.DType.INT32;
import static org.attnbench.tensor.DType.INT64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class ShapeOpShapesTest {
    private final GraphBuilder g = new GraphBuilder("t");
    private final Value x = g.input("x", FLOAT32, 2, 3, 4);

    @Test
    void reshapeCopiesZerosAndInfersMinusOne() {
        assertShape(g.reshape(x, 0, -1), 2, 12);
        assertShape(g.reshape(x, -1, 4), 6, 4);
        assertShape(g.reshape(x, 4, 0, 2), 4, 3, 2);
        assertFails("cannot reshape 24 elements to [5, 5]", () -> g.reshape(x, 5, 5));
        assertFails("more than one -1", () -> g.reshape(x, -1, -1));
        assertFails("cannot infer the -1 dimension", () -> g.reshape(x, 5, -1));
        assertFails("must be a constant known at build time", () -> g.op("Reshape", x, g.input("s", INT64, 2)));
    }

    @Test
    void reshapeAllowZeroKeepsZeroDimensions() {
        Value empty = g.input("e", FLOAT32, 0, 3);
        assertShape(g.op("Reshape", Map.of("allowzero", 1L), empty, g.constLongs(3, 0)), 3, 0);
    }

    @Test
    void transposeReversesByDefaultAndChecksPerm() {
        assertShape(g.transpose(x), 4, 3, 2);
        assertShape(g.transpose(x, 0, 2, 1), 2, 4, 3);
        assertFails("does not match rank 3", () -> g.transpose(x, 1, 0));
        assertFails("is repeated", () -> g.transpose(x, 0, 0, 1));
    }

    @Test
    void concatAddsAlongAxis() {
        Value y = g.input("y", FLOAT32, 2, 5, 4);
        assertShape(g.concat(1, x, y), 2, 8, 4);
        assertShape(g.concat(-2, x, y, x), 2, 11, 4);
        assertFails("differ outside axis 1", () -> g.concat(1, x, g.input("z", FLOAT32, 2, 3, 5)));
        assertFails("dtypes differ", () -> g.concat(0, x, g.input("h", FLOAT16, 2, 3, 4)));
    }

    @Test
    void splitBySizesOrIntoEqualParts() {
        List<Value> parts = g.split(x, -1, 1, 3);
        assertShape(parts.get(0), 2, 3, 1);
        assertShape(parts.get(1), 2, 3, 3);
        List<Value> equal = g.op("Split", List.of(x), Map.of("axis", 2L), 2);
        assertShape(equal.get(1), 2, 3, 2);
        assertFails("does not split evenly into 3 outputs", () -> g.op("Split", List.of(x), Map.of("axis", 2L), 3));
        assertFails("does not add up to dimension 4", () -> g.split(x, 2, 1, 2));
    }

    @Test
    void squeezeAndUnsqueezeTakeAxesAsInputs() {
        Value y = g.input("y", FLOAT32, 1, 3, 1);
        assertShape(g.squeeze(y), 3);
        assertShape(g.squeeze(y, -1), 1, 3);
        assertFails("cannot squeeze axis 1 of size 3", () -> g.squeeze(y, 1));
        assertShape(g.unsqueeze(x, 0, -1), 1, 2, 3, 4, 1);
        assertShape(g.unsqueeze(x, 1), 2, 1, 3, 4);
        assertFails("out of range", () -> g.unsqueeze(x, 5));
    }

    @Test
    void flattenExpandAndShape() {
        assertShape(g.op("Flatten", x), 2, 12);
        assertShape(g.op("Flatten", Map.of("axis", 0L), x), 1, 24);
        assertShape(g.op("Flatten", Map.of("axis", -1L), x), 6, 4);
        Value col = g.input("c", FLOAT32, 3, 1);
        assertShape(g.expand(col, 2, 1, 4), 2, 3, 4);
        assertFails("do not broadcast", () -> g.expand(col, 2, 4));
        assertType(g.shape(x), INT64, 3);
        assertType(g.op("Shape", Map.of("start", -2L), x), INT64, 2);
        assertType(g.op("Shape", Map.of("start", 1L, "end", 99L), x), INT64, 2);
    }

    @Test
    void constantsHaveTheirValuesShapeAndFeedShapeInputs() {
        Value ints = g.op("Constant", Map.of("value_ints", new long[] {6, 4}));
        assertType(ints, INT64, 2);
        assertShape(g.op("Reshape", x, ints), 6, 4);
        assertType(g.op("Constant", Map.of("value_float", 1.5f)), FLOAT32);
        assertType(g.op("Constant", Map.of("value", HostTensor.of(new int[] {1, 2, 3}, 3))), INT32, 3);
        assertFails("exactly one value attribute", () -> g.op("Constant", Map.of()));
        assertType(g.op("ConstantOfShape", Map.of("value", HostTensor.of(new long[] {7}, 1)), g.constLongs(2, 5)), INT64, 2, 5);
        assertType(g.op("ConstantOfShape", g.constLongs(3)), FLOAT32, 3);
        Value range = g.op("Range", g.constant(HostTensor.of(new long[] {10})), g.constant(HostTensor.of(new long[] {1})),
                g.constant(HostTensor.of(new long[] {-3})));
        assertType(range, INT64, 3);
    }

    @Test
    void builderNamesTheFailingNode() {
        try (GraphBuilder.Scope s = g.scope("attn1")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> g.reshape(x, 7));
            assertEquals(true, e.getMessage().startsWith("attn1/Reshape: cannot reshape"), e.getMessage());
        }
    }
}
