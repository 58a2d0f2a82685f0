package org.attnbench.graph;

import static org.attnbench.graph.OpShapes.input;
import static org.attnbench.graph.OpShapes.longAttr;
import static org.attnbench.graph.OpShapes.one;
import static org.attnbench.graph.OpShapes.optional;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Sliding-window ops on NC[D]HW tensors (Conv, AveragePool, MaxPool) and Resize. */
final class ConvPoolShapes {
    private ConvPoolShapes() {}

    static void addTo(OpShapes.Table rules) {
        rules.add("Conv", ConvPoolShapes::conv);
        rules.add("AveragePool", (in, a, c) -> one(input(in, 0, "X").dtype(), pool(in.get(0), a)));
        rules.add("MaxPool", (in, a, c) -> {
            long[] s = pool(input(in, 0, "X"), a);
            return List.of(new OutputType(in.get(0).dtype(), s), new OutputType(DType.INT64, s));
        });
        rules.add("Resize", ConvPoolShapes::resize);
    }

    private static List<OutputType> conv(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "X");
        Value w = input(in, 1, "W");
        OpShapes.sameDType(x, w);
        if (x.rank() < 3 || w.rank() != x.rank()) {
            throw new IllegalArgumentException("Conv needs X and W of equal rank >= 3, got " + x + " and " + w);
        }
        long group = longAttr(a, "group", 1);
        long m = w.dim(0);
        if (group <= 0 || w.dim(1) * group != x.dim(1) || m % group != 0) {
            throw new IllegalArgumentException("X has " + x.dim(1) + " channels but W " + w + " with group " + group
                    + " expects " + w.dim(1) * group + " (and output channels divisible by group)");
        }
        long[] kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        long[] declared = OpShapes.intsAttr(a, "kernel_shape");
        if (declared != null && !Arrays.equals(declared, kernel)) {
            throw new IllegalArgumentException("kernel_shape " + Arrays.toString(declared) + " differs from W " + w);
        }
        Value b = optional(in, 2);
        if (b != null && (b.rank() != 1 || b.dim(0) != m)) {
            throw new IllegalArgumentException("bias " + b + " must have shape [" + m + "]");
        }
        return one(x.dtype(), windowed(x, m, kernel, a, false));
    }

    private static long[] pool(Value x, Map<String, Object> a) {
        if (x.rank() < 3) throw new IllegalArgumentException("pooling needs rank >= 3, got " + x);
        long[] kernel = OpShapes.intsAttr(a, "kernel_shape");
        if (kernel == null) throw new IllegalArgumentException("pooling needs the 'kernel_shape' attribute");
        return windowed(x, x.dim(1), kernel, a, longAttr(a, "ceil_mode", 0) != 0);
    }

    /** [N, channels, spatial...] after sliding {@code kernel} with strides, dilations, pads and auto_pad. */
    private static long[] windowed(Value x, long channels, long[] kernel, Map<String, Object> a, boolean ceil) {
        int n = x.rank() - 2;
        if (kernel.length != n) {
            throw new IllegalArgumentException("kernel " + Arrays.toString(kernel) + " does not match " + n + " spatial axes");
        }
        long[] strides = ints(a, "strides", n, 1);
        long[] dilations = ints(a, "dilations", n, 1);
        long[] pads = ints(a, "pads", 2 * n, 0);
        String autoPad = OpShapes.stringAttr(a, "auto_pad", "NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID");
        if (!autoPad.equals("NOTSET") && a.containsKey("pads")) {
            throw new IllegalArgumentException("pads and auto_pad " + autoPad + " exclude each other");
        }
        long[] out = new long[n + 2];
        out[0] = x.dim(0);
        out[1] = channels;
        for (int i = 0; i < n; i++) {
            long in = x.dim(2 + i);
            long effKernel = (kernel[i] - 1) * dilations[i] + 1;
            if (strides[i] <= 0 || dilations[i] <= 0 || kernel[i] <= 0) {
                throw new IllegalArgumentException("strides, dilations and kernel must be positive");
            }
            long padBegin = pads[i];
            long padTotal = pads[i] + pads[i + n];
            if (autoPad.equals("VALID")) {
                padBegin = padTotal = 0;
            } else if (autoPad.startsWith("SAME")) {
                // As ONNX computes it: total padding that makes the output ceil(in / stride).
                long residual = in % strides[i];
                padTotal = Math.max(0, residual == 0 ? effKernel - strides[i] : effKernel - residual);
                padBegin = autoPad.equals("SAME_UPPER") ? padTotal / 2 : padTotal - padTotal / 2;
            }
            long span = in + padTotal - effKernel;
            if (span < 0) {
                throw new IllegalArgumentException("kernel extent " + effKernel + " exceeds padded input "
                        + (in + padTotal) + " on spatial axis " + i);
            }
            long positions = ceil ? -Math.floorDiv(-span, strides[i]) : span / strides[i];
            // A window that would start inside the end padding is dropped (ONNX and PyTorch ceil_mode).
            if (ceil && positions * strides[i] >= in + padBegin) positions--;
            out[2 + i] = positions + 1;
        }
        return out;
    }

    private static long[] ints(Map<String, Object> a, String key, int n, long fallback) {
        long[] v = OpShapes.intsAttr(a, key);
        if (v == null) {
            v = new long[n];
            Arrays.fill(v, fallback);
        }
        if (v.length != n) throw new IllegalArgumentException(key + " " + Arrays.toString(v) + " must have " + n + " entries");
        return v;
    }

    /** Resize, opset 13: output dims from constant sizes, or floor(input * scale) in float as ONNX does. */
    private static List<OutputType> resize(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "X");
        OpShapes.stringAttr(a, "mode", "nearest", "nearest", "linear", "cubic");
        OpShapes.stringAttr(a, "coordinate_transformation_mode", "half_pixel", "half_pixel", "pytorch_half_pixel",
                "align_corners", "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize");
        OpShapes.stringAttr(a, "nearest_mode", "round_prefer_floor", "round_prefer_floor", "round_prefer_ceil",
                "floor", "ceil");
        Value scales = nonEmpty(optional(in, 2));
        Value sizes = nonEmpty(optional(in, 3));
        if ((scales == null) == (sizes == null)) {
            throw new IllegalArgumentException("Resize needs exactly one of scales and sizes");
        }
        long[] out;
        if (sizes != null) {
            out = OpShapes.constLongs(c, sizes, "Resize's sizes");
        } else {
            HostTensor s = OpShapes.constant(c, scales, "Resize's scales");
            float[] f = s.toFloats();
            out = new long[f.length];
            for (int i = 0; i < f.length && i < x.rank(); i++) {
                if (f[i] <= 0) throw new IllegalArgumentException("Resize scale " + f[i] + " must be positive");
                out[i] = (long) Math.floor((float) x.dim(i) * f[i]);
            }
        }
        if (out.length != x.rank()) throw new IllegalArgumentException("Resize needs one scale or size per axis of " + x);
        return one(x.dtype(), out);
    }

    /** An optional input given as an empty tensor counts as absent. */
    private static Value nonEmpty(Value v) {
        return v == null || HostTensor.numel(v.shape()) == 0 ? null : v;
    }
}
