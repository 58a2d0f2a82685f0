package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
import org.attnbench.graph.Attributes;

/** Convolution and pooling over N-D spatial data (NCHW), with ONNX padding rules. */
final class ConvPoolOps {
    private ConvPoolOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("Conv", ConvPoolOps::conv, (a, opset, node) -> autoPad(a));
        ops.add("AveragePool", ConvPoolOps::avgPool, (a, opset, node) -> autoPad(a));
        ops.add("MaxPool", ConvPoolOps::maxPool, (a, opset, node) -> Checks.first(
                Checks.maxOutputs(node.getOutputCount(), 1), autoPad(a)));
        ops.add("GlobalAveragePool", c -> {
            NDArray x = c.in(0);
            long n = x.getShape().size() / Math.max(1, x.getShape().get(0) * x.getShape().get(1));
            return of(x.sum(spatial(x), true).div(n));
        });
        ops.add("GlobalMaxPool", c -> {
            NDArray y = c.in(0);
            for (int a : spatial(y)) y = y.max(new int[] {a}, true);
            return of(y);
        });
    }

    private static Optional<String> autoPad(Attributes a) {
        return Checks.oneOf(a, "auto_pad", "NOTSET", "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER");
    }

    private static int[] spatial(NDArray x) {
        return IntStream.range(2, x.getShape().dimension()).toArray();
    }

    /** Padding per spatial axis as [begin..., end...], from pads or auto_pad. */
    static long[] pads(Attributes a, long[] in, long[] kernel, long[] strides, long[] dilations) {
        int n = in.length;
        String auto = a.getString("auto_pad", "NOTSET");
        if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            long[] p = new long[2 * n];
            for (int i = 0; i < n; i++) {
                long out = (in[i] + strides[i] - 1) / strides[i];
                long total = Math.max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i]);
                long small = total / 2;
                p[i] = auto.equals("SAME_UPPER") ? small : total - small;
                p[i + n] = total - p[i];
            }
            return p;
        }
        if (auto.equals("VALID")) return new long[2 * n];
        return a.getInts("pads", new long[2 * n]);
    }

    static long[] ints(Attributes a, String name, int n, long fallback) {
        long[] v = a.getInts(name, null);
        if (v != null) return v;
        long[] d = new long[n];
        Arrays.fill(d, fallback);
        return d;
    }

    private static boolean symmetric(long[] pads) {
        int n = pads.length / 2;
        for (int i = 0; i < n; i++) if (pads[i] != pads[i + n]) return false;
        return true;
    }

    /** Pads the spatial axes explicitly (torch's F.pad order: last axis first, begin then end). */
    static NDArray padSpatial(NDArray x, long[] pads, double value) {
        int n = pads.length / 2;
        long[] w = new long[2 * n];
        for (int i = 0; i < n; i++) {
            w[2 * (n - 1 - i)] = pads[i];
            w[2 * (n - 1 - i) + 1] = pads[i + n];
        }
        return x.pad(new Shape(w), value);
    }

    private static NDList conv(OpContext c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        long[] s = x.getShape().getShape();
        int n = s.length - 2;
        long[] in = Arrays.copyOfRange(s, 2, s.length);
        long[] kernel = Arrays.copyOfRange(w.getShape().getShape(), 2, 2 + n);
        long[] strides = ints(c.attrs, "strides", n, 1);
        long[] dilations = ints(c.attrs, "dilations", n, 1);
        long[] pads = pads(c.attrs, in, kernel, strides, dilations);
        long[] sym = Arrays.copyOf(pads, n);
        if (!symmetric(pads)) {
            x = padSpatial(x, pads, 0);
            sym = new long[n];
        }
        NDArray y = JniUtils.convolution((PtNDArray) x, (PtNDArray) w, c.has(2) ? (PtNDArray) c.in(2) : null,
                new Shape(strides), new Shape(sym), new Shape(dilations), (int) c.attrs.getInt("group", 1));
        return of(y);
    }

    /** The pad value that never wins a max. */
    private static double lowest(DataType t) {
        return switch (t) {
            case UINT8 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    private static NDList maxPool(OpContext c) {
        NDArray x = c.in(0);
        long[] kernel = c.attrs.getInts("kernel_shape", null);
        int n = kernel.length;
        long[] in = Arrays.copyOfRange(x.getShape().getShape(), 2, 2 + n);
        long[] strides = ints(c.attrs, "strides", n, 1);
        long[] dilations = ints(c.attrs, "dilations", n, 1);
        long[] pads = pads(c.attrs, in, kernel, strides, dilations);
        boolean ceil = c.attrs.getInt("ceil_mode", 0) == 1;
        if (Arrays.stream(dilations).anyMatch(d -> d != 1)) return of(dilatedMax(x, kernel, strides, dilations, pads, ceil));
        if (Arrays.stream(pads).anyMatch(p -> p != 0)) x = padSpatial(x, pads, lowest(x.getDataType()));
        return of(JniUtils.maxPool((PtNDArray) x, new Shape(kernel), new Shape(strides), new Shape(new long[n]),
                ceil));
    }

    /**
     * DJL's max pooling has no dilation parameter: the maximum over one strided slice per
     * kernel offset gives the same windows, on input padded so every window fits.
     */
    private static NDArray dilatedMax(NDArray x, long[] kernel, long[] strides, long[] dilations, long[] pads, boolean ceil) {
        int n = kernel.length;
        long[] out = new long[n];
        long[] fit = pads.clone();
        for (int i = 0; i < n; i++) {
            long padded = x.getShape().get(2 + i) + pads[i] + pads[i + n];
            long span = (kernel[i] - 1) * dilations[i] + 1;
            double steps = (double) (padded - span) / strides[i];
            out[i] = (long) (ceil ? Math.ceil(steps) : Math.floor(steps)) + 1;
            fit[i + n] += Math.max(0, (out[i] - 1) * strides[i] + span - padded);
        }
        NDArray padded = padSpatial(x, fit, lowest(x.getDataType()));
        NDArray result = null;
        for (long offset = 0; offset < ShapeOps.product(kernel, 0, n); offset++) {
            NDArray window = padded;
            long rest = offset;
            for (int i = n - 1; i >= 0; i--) {
                long start = (rest % kernel[i]) * dilations[i];
                rest /= kernel[i];
                window = ShapeOps.sliceAxis(window, 2 + i, start, start + (out[i] - 1) * strides[i] + 1, strides[i]);
            }
            result = result == null ? window : result.maximum(window);
        }
        return result;
    }

    /**
     * Without padding libtorch's average pooling is ONNX's. With padding, the window sums are
     * divided by a pooled mask of the cells that count (the real ones, plus the pads when
     * count_include_pad is 1), which also covers asymmetric pads libtorch cannot take.
     */
    private static NDList avgPool(OpContext c) {
        NDArray x = c.in(0);
        long[] kernel = c.attrs.getInts("kernel_shape", null);
        int n = kernel.length;
        long[] in = Arrays.copyOfRange(x.getShape().getShape(), 2, 2 + n);
        long[] strides = ints(c.attrs, "strides", n, 1);
        long[] pads = pads(c.attrs, in, kernel, strides, ints(c.attrs, "dilations", n, 1));
        boolean ceil = c.attrs.getInt("ceil_mode", 0) == 1;
        Shape k = new Shape(kernel);
        Shape st = new Shape(strides);
        Shape zero = new Shape(new long[n]);
        if (Arrays.stream(pads).allMatch(p -> p == 0)) {
            return of(JniUtils.avgPool((PtNDArray) x, k, st, zero, ceil, true));
        }
        NDArray ones = x.onesLike();
        NDArray mask = padSpatial(ones, pads, c.attrs.getInt("count_include_pad", 0) == 1 ? 1 : 0);
        NDArray sums = JniUtils.avgPool((PtNDArray) padSpatial(x, pads, 0), k, st, zero, ceil, true);
        NDArray counts = JniUtils.avgPool((PtNDArray) mask, k, st, zero, ceil, true);
        return of(sums.div(counts));
    }
}
