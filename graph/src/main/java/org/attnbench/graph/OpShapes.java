package org.attnbench.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Shape-inference rules of every op the graph builder supports, keyed by domain and op type. */
public final class OpShapes {
    private static final Map<String, ShapeInference> RULES = new HashMap<>();

    static {
        for (String op : List.of("Add", "Sub", "Mul", "Div", "Pow")) register(op, OpShapes::broadcastSameType);
        for (String op : List.of("Sqrt", "Exp", "Erf", "Sigmoid", "Tanh", "Sin", "Cos", "Identity", "Neg", "Abs",
                "Relu", "Reciprocal", "Log")) {
            register(op, (in, a, c) -> List.of(new OutputType(in.get(0).dtype(), in.get(0).shape())));
        }
        register("MatMul", OpShapes::matMul);
        register("Softmax", (in, a, c) -> List.of(new OutputType(in.get(0).dtype(), in.get(0).shape())));
        register("Reshape", OpShapes::reshape);
        register("Transpose", OpShapes::transpose);
        register("LayerNormalization", (in, a, c) -> List.of(new OutputType(in.get(0).dtype(), in.get(0).shape())));
    }

    private OpShapes() {}

    public static void register(String opType, ShapeInference rule) {
        RULES.put(opType, rule);
    }

    public static void register(String domain, String opType, ShapeInference rule) {
        RULES.put(domain.isEmpty() ? opType : domain + "::" + opType, rule);
    }

    public static boolean supports(String domain, String opType) {
        return RULES.containsKey(domain.isEmpty() ? opType : domain + "::" + opType);
    }

    static ShapeInference rule(String domain, String opType) {
        ShapeInference r = RULES.get(domain.isEmpty() ? opType : domain + "::" + opType);
        if (r == null) throw new IllegalArgumentException("the graph builder has no rule for op " + opType);
        return r;
    }

    // ---- helpers shared by rules ----

    /** Numpy-style multidirectional broadcasting of two shapes. */
    public static long[] broadcast(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + java.util.Arrays.toString(a) + " and "
                        + java.util.Arrays.toString(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    static int normalizeAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        return (int) a;
    }

    static long longAttr(Map<String, Object> attrs, String key, long fallback) {
        Object v = attrs.get(key);
        return v == null ? fallback : ((Number) v).longValue();
    }

    static long[] intsAttr(Map<String, Object> attrs, String key) {
        Object v = attrs.get(key);
        if (v == null) return null;
        if (v instanceof int[] is) return java.util.Arrays.stream(is).asLongStream().toArray();
        return (long[]) v;
    }

    static long[] constLongs(ShapeInference.Constants c, Value v, String what) {
        HostTensor t = c.valueOf(v).orElseThrow(() ->
                new IllegalArgumentException(what + " must be a constant known at build time"));
        return t.toLongs();
    }

    // ---- rules ----

    private static List<OutputType> broadcastSameType(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = in.get(0);
        Value y = in.get(1);
        if (x.dtype() != y.dtype()) throw new IllegalArgumentException("dtypes differ: " + x.dtype() + " and " + y.dtype());
        return List.of(new OutputType(x.dtype(), broadcast(x.shape(), y.shape())));
    }

    private static List<OutputType> matMul(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        long[] x = in.get(0).shape();
        long[] y = in.get(1).shape();
        if (x.length == 0 || y.length == 0) throw new IllegalArgumentException("MatMul of a scalar");
        boolean xVec = x.length == 1;
        boolean yVec = y.length == 1;
        long[] xs = xVec ? new long[] {1, x[0]} : x;
        long[] ys = yVec ? new long[] {y[0], 1} : y;
        if (xs[xs.length - 1] != ys[ys.length - 2]) {
            throw new IllegalArgumentException("inner dimensions differ: " + xs[xs.length - 1] + " vs " + ys[ys.length - 2]);
        }
        long[] batch = broadcast(java.util.Arrays.copyOf(xs, xs.length - 2), java.util.Arrays.copyOf(ys, ys.length - 2));
        long[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = xs[xs.length - 2];
        out[batch.length + 1] = ys[ys.length - 1];
        int drop = (xVec ? 1 : 0) + (yVec ? 1 : 0);
        long[] result;
        if (xVec && yVec) result = batch;
        else if (xVec) { result = java.util.Arrays.copyOf(batch, batch.length + 1); result[batch.length] = out[batch.length + 1]; }
        else if (yVec) result = java.util.Arrays.copyOf(out, out.length - 1);
        else result = out;
        assert drop >= 0;
        return List.of(new OutputType(in.get(0).dtype(), result));
    }

    private static List<OutputType> reshape(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        long[] src = in.get(0).shape();
        long[] target = constLongs(c, in.get(1), "Reshape's shape").clone();
        boolean allowZero = longAttr(a, "allowzero", 0) != 0;
        long known = 1;
        int inferAt = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) target[i] = src[i];
            if (target[i] == -1) {
                if (inferAt >= 0) throw new IllegalArgumentException("more than one -1 in shape");
                inferAt = i;
            } else {
                known *= target[i];
            }
        }
        long total = HostTensor.numel(src);
        if (inferAt >= 0) {
            if (known == 0 || total % known != 0) throw new IllegalArgumentException("cannot infer -1 dimension");
            target[inferAt] = total / known;
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + total + " elements to " + java.util.Arrays.toString(target));
        }
        return List.of(new OutputType(in.get(0).dtype(), target));
    }

    private static List<OutputType> transpose(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        long[] src = in.get(0).shape();
        long[] perm = intsAttr(a, "perm");
        long[] out = new long[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[perm == null ? src.length - 1 - i : (int) perm[i]];
        }
        return List.of(new OutputType(in.get(0).dtype(), out));
    }

    /** The dtype named by an ONNX "to" attribute. */
    static DType onnxDType(long code) {
        return DType.fromOnnx((int) code).orElseThrow(() -> new IllegalArgumentException("unsupported data type " + code));
    }
}
