package org.attnbench.graph;

import static org.attnbench.graph.ShapeAssert.assertFails;
import static org.attnbench.graph.ShapeAssert.assertShape;
import static org.attnbench.graph.ShapeAssert.assertType;
import static org.attnbench.tensor.DType.FLOAT32;
import static org.attnbench.tensor.DType.INT64;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvPoolShapesTest {
    private final GraphBuilder g = new GraphBuilder("t");
    private final Value img = g.input("img", FLOAT32, 1, 3, 32, 32);
    private final Value w3 = g.input("w3", FLOAT32, 8, 3, 3, 3);

    private static long[] l(long... v) {
        return v;
    }

    @Test
    void convWithPaddingStrideAndDilation() {
        assertShape(g.conv(img, w3, g.input("b", FLOAT32, 8), null, l(1, 1, 1, 1), null, 1), 1, 8, 32, 32);
        assertShape(g.conv(img, w3, null, l(2, 2), null, null, 1), 1, 8, 15, 15);
        assertShape(g.conv(img, w3, null, l(2, 2), l(1, 1, 1, 1), null, 1), 1, 8, 16, 16);
        assertShape(g.conv(img, w3, null, null, null, l(2, 2), 1), 1, 8, 28, 28);
        assertShape(g.conv(img, w3, null, l(1, 2), l(0, 1, 2, 1), l(3, 1), 1), 1, 8, 28, 16);
    }

    @Test
    void convGroupsAndAutoPad() {
        Value x = g.input("x", FLOAT32, 2, 4, 10, 10);
        assertShape(g.conv(x, g.input("wg", FLOAT32, 8, 2, 3, 3), null, null, null, null, 2), 2, 8, 8, 8);
        assertShape(g.conv(x, g.input("dw", FLOAT32, 4, 1, 3, 3), null, null, null, null, 4), 2, 4, 8, 8);
        Value w = g.input("w", FLOAT32, 6, 4, 3, 3);
        assertShape(g.op("Conv", Map.of("auto_pad", "SAME_UPPER", "strides", l(2, 2)), x, w), 2, 6, 5, 5);
        assertShape(g.op("Conv", Map.of("auto_pad", "SAME_LOWER"), x, w), 2, 6, 10, 10);
        assertShape(g.op("Conv", Map.of("auto_pad", "VALID", "strides", l(3, 3)), x, w), 2, 6, 3, 3);
        assertShape(g.op("Conv", Map.of(), g.input("x1", FLOAT32, 1, 4, 9), g.input("w1", FLOAT32, 2, 4, 4)), 1, 2, 6);
    }

    @Test
    void convRefusesMismatchedChannelsAndBias() {
        assertFails("X has 3 channels but W", () -> g.conv(img, g.input("w", FLOAT32, 8, 4, 3, 3), null, null, null, null, 1));
        assertFails("expects 6", () -> g.conv(img, w3, null, null, null, null, 2));
        assertFails("bias", () -> g.conv(img, w3, g.input("b", FLOAT32, 3), null, null, null, 1));
        assertFails("pads [1, 1] must have 4 entries", () -> g.conv(img, w3, null, null, l(1, 1), null, 1));
        assertFails("exceeds padded input", () -> g.conv(g.input("s", FLOAT32, 1, 3, 2, 2), w3, null, null, null, null, 1));
    }

    @Test
    void poolingFloorsOrCeils() {
        Value x = g.input("x", FLOAT32, 1, 1, 5, 5);
        assertShape(g.averagePool(x, l(2, 2), l(2, 2), null, false), 1, 1, 2, 2);
        assertShape(g.averagePool(x, l(2, 2), l(2, 2), null, true), 1, 1, 3, 3);
        assertShape(g.maxPool(x, l(3, 3), l(1, 1), l(1, 1, 1, 1), null, false), 1, 1, 5, 5);
        assertShape(g.maxPool(x, l(2, 2), l(1, 1), null, l(2, 2), false), 1, 1, 3, 3);
        // With ceil_mode a window may not start inside the end padding (PyTorch and ONNX agree).
        assertShape(g.maxPool(g.input("y", FLOAT32, 1, 1, 2, 2), l(1, 1), l(2, 2), null, null, true), 1, 1, 1, 1);
        List<Value> withIndices = g.op("MaxPool", List.of(x), Map.of("kernel_shape", l(2, 2)), 2);
        assertType(withIndices.get(1), INT64, 1, 1, 4, 4);
        assertFails("AveragePool has no attribute 'dilations' in opset 17",
                () -> g.op("AveragePool", Map.of("kernel_shape", l(2, 2), "dilations", l(2, 2)), x));
        assertFails("needs the 'kernel_shape' attribute", () -> g.op("MaxPool", x));
    }

    @Test
    void resizeFloorsScaledDimensions() {
        Value x = g.input("x", FLOAT32, 1, 3, 7, 7);
        assertShape(g.resize(x, new float[] {1, 1, 0.5f, 0.5f}, "linear", "half_pixel", "floor"), 1, 3, 3, 3);
        assertShape(g.resize(x, new float[] {1, 1, 2, 1.7f}, "nearest", "asymmetric", "floor"), 1, 3, 14, 11);
        assertShape(g.resize(x, new long[] {1, 3, 9, 4}, "cubic", "align_corners", "round_prefer_floor"), 1, 3, 9, 4);
        assertFails("mode 'bilinear' is not one of", () -> g.resize(x, new float[] {1, 1, 2, 2}, "bilinear", "half_pixel", "floor"));
        assertFails("one scale or size per axis", () -> g.resize(x, new float[] {2, 2}, "nearest", "half_pixel", "floor"));
        assertFails("exactly one of scales and sizes", () -> g.op("Resize", x));
    }
}
