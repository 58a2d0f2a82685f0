package org.attnbench.parity;

import java.util.Arrays;
import java.util.Map;
import org.attnbench.tensor.HostTensor;

/** Elementwise agreement of two backends' outputs: floats within 1e-5 + 1e-4*|b|, everything else exact. */
final class OutputComparison {
    static final double ABS_TOL = 1e-5;
    static final double REL_TOL = 1e-4;

    private OutputComparison() {}

    /** Why {@code a} (DJL) and {@code b} (ONNX Runtime) disagree, naming the worst element; null when they agree. */
    static String firstMismatch(Map<String, HostTensor> a, Map<String, HostTensor> b) {
        if (!a.keySet().equals(b.keySet())) return "output names " + a.keySet() + " vs " + b.keySet();
        for (String name : b.keySet()) {
            String why = mismatch(a.get(name), b.get(name));
            if (why != null) return "output " + name + ": " + why;
        }
        return null;
    }

    private static String mismatch(HostTensor a, HostTensor b) {
        if (a.dtype() != b.dtype()) return "dtype " + a.dtype() + " vs " + b.dtype();
        if (!Arrays.equals(a.shape(), b.shape())) return "shape " + Arrays.toString(a.shape()) + " vs " + Arrays.toString(b.shape());
        boolean exact = !b.dtype().isFloatingPoint();
        double[] x = a.toDoubles();
        double[] y = b.toDoubles();
        int worst = -1;
        double worstExcess = 0;
        int bad = 0;
        for (int i = 0; i < y.length; i++) {
            double excess = excess(x[i], y[i], exact);
            if (excess > 0) bad++;
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst < 0) return null;
        return bad + " of " + y.length + " elements differ; worst at " + Arrays.toString(index(worst, b.shape()))
                + ": djl " + x[worst] + ", onnxruntime " + y[worst] + " (shape " + Arrays.toString(b.shape()) + ", " + b.dtype() + ")";
    }

    /** How far past the tolerance x is from y (0 when within it); NaN and infinities must match exactly. */
    private static double excess(double x, double y, boolean exact) {
        if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
            return Double.compare(x, y) == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        double diff = Math.abs(x - y);
        return exact ? diff : Math.max(0, diff - (ABS_TOL + REL_TOL * Math.abs(y)));
    }

    private static long[] index(int flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }
}
