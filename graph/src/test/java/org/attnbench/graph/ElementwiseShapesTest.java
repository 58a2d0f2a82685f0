package org.attnbench.graph;

import static org.attnbench.graph.ShapeAssert.assertFails;
import static org.attnbench.graph.ShapeAssert.assertShape;
import static org.attnbench.graph.ShapeAssert.assertType;
import static org.attnbench.tensor.DType.BOOL;
import static org.attnbench.tensor.DType.FLOAT16;
import static org.attnbench.tensor.DType.FLOAT32;
import static org.attnbench.tensor.DType.INT64;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ElementwiseShapesTest {
    private final GraphBuilder g = new GraphBuilder("t");

    @Test
    void binaryOpsBroadcastNumpyStyle() {
        Value a = g.input("a", FLOAT32, 2, 1, 4);
        Value b = g.input("b", FLOAT32, 3, 1);
        assertType(g.add(a, b), FLOAT32, 2, 3, 4);
        assertShape(g.mul(a, g.constScalar(2f)), 2, 1, 4);
        assertType(g.equal(a, b), BOOL, 2, 3, 4);
        assertType(g.op("Less", b, a), BOOL, 2, 3, 4);
    }

    @Test
    void binaryOpsRefuseMixedTypesAndIncompatibleShapes() {
        Value a = g.input("a", FLOAT32, 2, 4);
        assertFails("dtypes differ: FLOAT32 and FLOAT16", () -> g.add(a, g.input("h", FLOAT16, 4)));
        assertFails("do not broadcast", () -> g.sub(a, g.input("c", FLOAT32, 3)));
        assertFails("expects 2 inputs", () -> g.op("Div", a));
    }

    @Test
    void powKeepsTheBaseType() {
        Value x = g.input("x", FLOAT16, 3, 1);
        assertType(g.op("Pow", x, g.input("e", FLOAT32, 5)), FLOAT16, 3, 5);
    }

    @Test
    void variadicMinMaxBroadcastAllInputs() {
        Value a = g.input("a", FLOAT32, 4, 1, 1);
        Value b = g.input("b", FLOAT32, 1, 5, 1);
        Value c = g.input("c", FLOAT32, 6);
        assertShape(g.op("Max", a, b, c), 4, 5, 6);
        assertShape(g.op("Min", a), 4, 1, 1);
    }

    @Test
    void whereBroadcastsThreeInputsUnderABoolCondition() {
        Value cond = g.input("c", BOOL, 1, 4);
        Value x = g.input("x", FLOAT32, 3, 1);
        Value y = g.constScalar(0f);
        assertType(g.where(cond, x, y), FLOAT32, 3, 4);
        assertFails("condition must be [BOOL]", () -> g.where(x, x, y));
        assertFails("Not's input must be [BOOL], got FLOAT32", () -> g.op("Not", x));
    }

    @Test
    void unaryOpsKeepTypeAndCheckIt() {
        Value x = g.input("x", FLOAT16, 2, 3);
        for (String op : new String[] {"Sqrt", "Exp", "Erf", "Sigmoid", "Tanh", "Sin", "Cos", "Neg", "Abs", "Relu",
                "Reciprocal", "Log", "Floor", "Ceil", "Identity"}) {
            assertType(g.op(op, x), FLOAT16, 2, 3);
        }
        assertFails("Sqrt's input must be floating point, got INT64", () -> g.op("Sqrt", g.input("i", INT64, 2)));
        assertType(g.op("Not", g.input("b", BOOL, 2)), BOOL, 2);
    }

    @Test
    void castSoftmaxAndClip() {
        Value x = g.input("x", FLOAT32, 2, 3);
        assertType(g.cast(x, FLOAT16), FLOAT16, 2, 3);
        assertFails("Cast needs the 'to' attribute", () -> g.op("Cast", x));
        assertShape(g.softmax(x, -1), 2, 3);
        assertFails("axis 2 out of range for rank 2", () -> g.softmax(x, 2));
        assertShape(g.op("Clip", x, g.constScalar(0f), g.constScalar(6f)), 2, 3);
        assertFails("Clip's min must be a scalar", () -> g.op("Clip", x, g.constant(
                org.attnbench.tensor.HostTensor.of(new float[] {0, 1}, 2))));
        assertShape(g.op("Clip", java.util.Arrays.asList(x, null, g.constScalar(1f)), Map.of(), 1).get(0), 2, 3);
    }
}
