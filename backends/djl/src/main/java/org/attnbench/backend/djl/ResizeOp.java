package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Optional;
import org.attnbench.graph.Attributes;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.HostTensor;

/**
 * Resize (opset 11+), nearest, linear and cubic, axis by axis: the source coordinate of every output
 * index is computed here in double precision with ONNX's formulas, then the data is gathered
 * at those indices (and, for linear and cubic, blended with the neighbours' weights). libtorch's
 * interpolate is not used because its coordinate and rounding rules differ from ONNX's.
 */
final class ResizeOp {
    private ResizeOp() {}

    static void addTo(OpRegistry ops) {
        ops.add("Resize", ResizeOp::resize, ResizeOp::check);
    }

    private static Optional<String> check(Attributes a, int opset, NodeProto node) {
        if (opset < 11) return Optional.of("opset " + opset + " semantics");
        return Checks.first(
                Checks.oneOf(a, "mode", "nearest", "nearest", "linear", "cubic"),
                Checks.oneOf(a, "coordinate_transformation_mode", "half_pixel", "half_pixel", "asymmetric",
                        "align_corners", "pytorch_half_pixel", "tf_half_pixel_for_nn", "tf_crop_and_resize"),
                Checks.oneOf(a, "nearest_mode", "round_prefer_floor", "round_prefer_floor", "round_prefer_ceil",
                        "floor", "ceil"),
                a.getString("mode", "nearest").equals("nearest") ? Checks.intIs(a, "exclude_outside", 0, 0) : Optional.empty());
    }

    private static NDList resize(OpContext c) {
        NDArray x = c.in(0);
        long[] in = x.getShape().getShape();
        int r = in.length;
        double[] scales = new double[r];
        long[] out = new long[r];
        // The output length in the coordinate formulas is the rounded output size, as current ONNX
        // and ONNX Runtime define it (ONNX 1.12's reference used the unrounded in * scale).
        double[] length = new double[r];
        boolean bySizes = c.has(3) && c.in(3).getShape().size() > 0;
        if (bySizes) {
            long[] sizes = c.longs(3);
            for (int i = 0; i < r; i++) {
                out[i] = sizes[i];
                scales[i] = (double) sizes[i] / in[i];
                length[i] = sizes[i];
            }
        } else {
            double[] s = c.doubles(2);
            for (int i = 0; i < r; i++) {
                scales[i] = (float) s[i];
                out[i] = (long) Math.floor(in[i] * scales[i]);
                length[i] = out[i];
            }
        }
        String mode = c.attrs.getString("mode", "nearest");
        String transform = c.attrs.getString("coordinate_transformation_mode", "half_pixel");
        String rounding = c.attrs.getString("nearest_mode", "round_prefer_floor");
        double[] roi = transform.equals("tf_crop_and_resize") ? c.doubles(1) : null;
        float extrapolation = c.attrs.getFloat("extrapolation_value", 0f);
        double cubicA = c.attrs.getFloat("cubic_coeff_a", -0.75f);
        boolean exclude = c.attrs.getInt("exclude_outside", 0) == 1;
        // Linear and cubic blend integer data in fp32 and truncate back, as the ONNX reference does.
        boolean blendInFloat = !mode.equals("nearest") && !x.getDataType().isFloating();
        NDArray y = blendInFloat ? x.toType(ai.djl.ndarray.types.DataType.FLOAT32, false) : x;
        for (int ax = 0; ax < r; ax++) {
            double[] src = new double[(int) out[ax]];
            boolean[] inside = new boolean[src.length];
            boolean allInside = true;
            for (int i = 0; i < src.length; i++) {
                src[i] = source(transform, i, scales[ax], in[ax], length[ax], roi == null ? 0 : roi[ax], roi == null ? 0 : roi[ax + r]);
                inside[i] = src[i] >= 0 && src[i] <= in[ax] - 1;
                allInside &= inside[i] || roi == null;
            }
            y = mode.equals("nearest") ? nearest(c, y, ax, src, rounding)
                    : blend(c, y, ax, src, mode.equals("cubic"), cubicA, exclude);
            if (!allInside) y = ElementwiseOps.where(IndexOps.along(c, bools(inside), ax, r), y, y.zerosLike().add(extrapolation));
        }
        return of(blendInFloat ? y.toType(x.getDataType(), false) : y);
    }

    /** ONNX's coordinate_transformation_mode: the input coordinate of output index i. */
    static double source(String transform, long i, double scale, long in, double out, double roiStart, double roiEnd) {
        return switch (transform) {
            case "asymmetric" -> i / scale;
            case "align_corners" -> out == 1 ? 0 : i * (in - 1) / (out - 1);
            case "pytorch_half_pixel" -> out > 1 ? (i + 0.5) / scale - 0.5 : 0;
            case "tf_half_pixel_for_nn" -> (i + 0.5) / scale;
            case "tf_crop_and_resize" -> out > 1
                    ? roiStart * (in - 1) + i * (roiEnd - roiStart) * (in - 1) / (out - 1)
                    : 0.5 * (roiStart + roiEnd) * (in - 1);
            default -> (i + 0.5) / scale - 0.5; // half_pixel
        };
    }

    private static long round(double x, String mode) {
        double f = Math.floor(x);
        boolean half = x - f == 0.5;
        return switch (mode) {
            case "floor" -> (long) f;
            case "ceil" -> (long) Math.ceil(x);
            case "round_prefer_ceil" -> half ? (long) f + 1 : Math.round(x);
            default -> half ? (long) f : Math.round(x); // round_prefer_floor
        };
    }

    private static NDArray nearest(OpContext c, NDArray x, int ax, double[] src, String rounding) {
        long in = x.getShape().get(ax);
        long[] idx = new long[src.length];
        for (int i = 0; i < src.length; i++) idx[i] = Math.max(0, Math.min(in - 1, round(src[i], rounding)));
        return IndexOps.take(c, x, ax, idx);
    }

    /**
     * Weighted taps around each source coordinate x, as ONNX's reference picks them: the left
     * pixel f = ceil(x) - 1 (the left one when x is whole), ratio x - f in (0, 1], taps f, f+1
     * (linear) or f-1 .. f+2 (cubic), read with edge clamping; exclude_outside zeroes the taps
     * outside the input and renormalizes.
     */
    private static NDArray blend(OpContext c, NDArray x, int ax, double[] src, boolean cubic, double a, boolean exclude) {
        long in = x.getShape().get(ax);
        int n = cubic ? 4 : 2;
        long[][] idx = new long[n][src.length];
        float[][] w = new float[n][src.length];
        for (int i = 0; i < src.length; i++) {
            long f = (long) Math.ceil(src[i]) - 1;
            double t = src[i] - f;
            double[] k = cubic ? cubicCoefficients(t, a) : new double[] {1 - t, t};
            long first = cubic ? f - 1 : f;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                long p = first + j;
                if (exclude && (p < 0 || p >= in)) k[j] = 0;
                sum += k[j];
            }
            for (int j = 0; j < n; j++) {
                idx[j][i] = Math.max(0, Math.min(in - 1, first + j));
                w[j][i] = (float) (exclude ? k[j] / sum : k[j]);
            }
        }
        NDArray y = null;
        for (int j = 0; j < n; j++) {
            NDArray weight = IndexOps.along(c, HostTensor.of(w[j], src.length), ax, x.getShape().dimension())
                    .toType(x.getDataType(), false);
            NDArray term = IndexOps.take(c, x, ax, idx[j]).mul(weight);
            y = y == null ? term : y.add(term);
        }
        return y;
    }

    /** Keys' cubic convolution weights for the taps at distances 1 + t, t, 1 - t, 2 - t. */
    private static double[] cubicCoefficients(double t, double a) {
        double u = 1 - t;
        return new double[] {
            ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
            ((a + 2) * t - (a + 3)) * t * t + 1,
            ((a + 2) * u - (a + 3)) * u * u + 1,
            ((a * (u + 1) - 5 * a) * (u + 1) + 8 * a) * (u + 1) - 4 * a,
        };
    }

    private static HostTensor bools(boolean[] v) {
        HostTensor t = HostTensor.allocate(org.attnbench.tensor.DType.BOOL, v.length);
        for (int i = 0; i < v.length; i++) t.mutableData().put(i, (byte) (v[i] ? 1 : 0));
        return t;
    }
}
