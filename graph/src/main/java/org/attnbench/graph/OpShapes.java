package org.attnbench.graph;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Shape-inference rules of every op the graph builder supports, keyed by domain and op type,
 * with exact ONNX opset-17 semantics. The rules live in one class per op family; this class
 * holds the registry and the checks they share.
 */
public final class OpShapes {
    private static final Map<String, ShapeInference> RULES = rules();

    /** Every family's rules, gathered once. */
    private static Map<String, ShapeInference> rules() {
        Table table = new Table();
        ElementwiseShapes.addTo(table);
        ShapeOpShapes.addTo(table);
        IndexShapes.addTo(table);
        ReduceShapes.addTo(table);
        ConvPoolShapes.addTo(table);
        MatMulShapes.addTo(table);
        return Map.copyOf(table.rules);
    }

    /** What a family of rules adds itself to. */
    static final class Table {
        private final Map<String, ShapeInference> rules = new HashMap<>();

        void add(String opType, ShapeInference rule) {
            add("", opType, rule);
        }

        void add(String domain, String opType, ShapeInference rule) {
            if (rules.put(key(domain, opType), rule) != null) {
                throw new IllegalStateException("two shape rules for " + key(domain, opType));
            }
        }
    }

    private OpShapes() {}

    public static boolean supports(String domain, String opType) {
        return RULES.containsKey(key(domain, opType));
    }

    /** Supported ops, default domain by bare name, others as "domain::Op". */
    public static Set<String> supported() {
        return new TreeSet<>(RULES.keySet());
    }

    static ShapeInference rule(String domain, String opType) {
        ShapeInference r = RULES.get(key(domain, opType));
        if (r == null) throw new IllegalArgumentException("the graph builder has no rule for op " + opType);
        return r;
    }

    /** "ai.onnx" is the default domain under its long name. */
    static String key(String domain, String opType) {
        return domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + "::" + opType;
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
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Checks that {@code b} broadcasts to {@code target} without changing it (Gemm's C, LayerNorm's scale). */
    static void requireUnidirectional(long[] target, long[] b, String what) {
        boolean fits = b.length <= target.length;
        for (int i = 1; fits && i <= b.length; i++) {
            long d = b[b.length - i];
            fits = d == 1 || d == target[target.length - i];
        }
        if (!fits) {
            throw new IllegalArgumentException(what + " of shape " + Arrays.toString(b) + " does not broadcast to "
                    + Arrays.toString(target));
        }
    }

    static int normalizeAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Normalized axes, refusing repeats. */
    static int[] normalizeAxes(long[] axes, int rank) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalizeAxis(axes[i], rank);
            if (seen[out[i]]) throw new IllegalArgumentException("axis " + axes[i] + " is repeated in " + Arrays.toString(axes));
            seen[out[i]] = true;
        }
        return out;
    }

    /** Input {@code i}, which the op requires. */
    static Value input(List<Value> in, int i, String what) {
        if (i >= in.size() || in.get(i) == null) throw new IllegalArgumentException("missing input " + what);
        return in.get(i);
    }

    /** Optional input {@code i}, or null when absent. */
    static Value optional(List<Value> in, int i) {
        return i < in.size() ? in.get(i) : null;
    }

    static void sameDType(Value a, Value b) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException("dtypes differ: " + a.dtype() + " and " + b.dtype());
    }

    static void requireDType(Value v, String what, DType... allowed) {
        if (!Arrays.asList(allowed).contains(v.dtype())) {
            throw new IllegalArgumentException(what + " must be " + Arrays.toString(allowed) + ", got " + v.dtype());
        }
    }

    static void requireFloat(Value v, String what) {
        if (!v.dtype().isFloatingPoint()) throw new IllegalArgumentException(what + " must be floating point, got " + v.dtype());
    }

    static List<OutputType> one(DType dtype, long[] shape) {
        return List.of(new OutputType(dtype, shape));
    }

    static List<OutputType> like(Value v) {
        return one(v.dtype(), v.shape());
    }

    static long longAttr(Map<String, Object> attrs, String key, long fallback) {
        Object v = attrs.get(key);
        return v == null ? fallback : ((Number) v).longValue();
    }

    static String stringAttr(Map<String, Object> attrs, String key, String fallback, String... allowed) {
        String v = (String) attrs.getOrDefault(key, fallback);
        if (allowed.length > 0 && !Arrays.asList(allowed).contains(v)) {
            throw new IllegalArgumentException(key + " '" + v + "' is not one of " + Arrays.toString(allowed));
        }
        return v;
    }

    static long[] intsAttr(Map<String, Object> attrs, String key) {
        Object v = attrs.get(key);
        if (v == null) return null;
        if (v instanceof int[] is) return Arrays.stream(is).asLongStream().toArray();
        return ((long[]) v).clone();
    }

    static HostTensor constant(ShapeInference.Constants c, Value v, String what) {
        return c.valueOf(v).orElseThrow(() ->
                new IllegalArgumentException(what + " must be a constant known at build time"));
    }

    static long[] constLongs(ShapeInference.Constants c, Value v, String what) {
        return constant(c, v, what).toLongs();
    }

    /** The dtype named by an ONNX "to" attribute. */
    static DType onnxDType(long code) {
        return DType.fromOnnx((int) code).orElseThrow(() -> new IllegalArgumentException("unsupported data type " + code));
    }
}
