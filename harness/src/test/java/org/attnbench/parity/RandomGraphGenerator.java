package org.attnbench.parity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Builds small random graphs from the supported ops, reproducibly from one seed. Each step picks
 * a random op family and a float32 value from the pool, builds a valid node (shape inference
 * rejects the rare invalid choice, and another step is tried), and adds its float32 result to the
 * pool. Non-float results (indices, masks, shapes) are cast back to float32 so chains go on.
 * Domains are kept safe (Log of Abs(x)+1, Exp of a clipped value...) so both backends stay finite.
 * Configurations where a backend is known to be wrong are left out, each with a comment naming the bug
 * (search for "bug:"), so the parity test stays green and the exclusions are easy to remove once fixed.
 */
final class RandomGraphGenerator {
    /** Cap on any value's element count, to keep runs fast. */
    private static final long MAX_NUMEL = 2048;

    /** One generated case: the model, its inputs, and the seed that rebuilds it. */
    record Case(long seed, OnnxModel model, Map<String, HostTensor> inputs) {}

    private interface Step {
        Value apply(Value x);
    }

    private final long seed;
    private final Random r;
    private final RandomData data;
    private final GraphBuilder g = new GraphBuilder("random");
    private final List<Value> pool = new ArrayList<>();
    private final Map<String, HostTensor> inputs = new LinkedHashMap<>();
    private final List<Step> steps = List.of(this::binary, this::unary, this::guardedUnary, this::matMul, this::gemm,
            this::softmax, this::reshape, this::transpose, this::concat, this::split, this::slice, this::gather,
            this::gatherElements, this::scatterElements, this::topK, this::argMax, this::reduce, this::conv,
            this::layerNorm, this::instanceNorm, this::resize, this::pool, this::cast, this::expand, this::where,
            this::unsqueeze, this::squeeze, this::identityLike, this::shape, this::constants);

    private RandomGraphGenerator(long seed) {
        this.seed = seed;
        this.r = new Random(seed);
        this.data = new RandomData(r);
    }

    static Case generate(long seed) {
        return new RandomGraphGenerator(seed).build();
    }

    private Case build() {
        int inputCount = 1 + r.nextInt(3);
        for (int i = 0; i < inputCount; i++) {
            long[] shape = data.shape(1 + r.nextInt(4));
            HostTensor values = data.floats(shape, 2);
            Value v = g.input("x" + i, DType.FLOAT32, shape);
            inputs.put(v.name(), values);
            pool.add(v);
        }
        int opCount = 3 + r.nextInt(10);
        for (int done = 0, tries = 0; done < opCount && tries < 200; tries++) {
            Value x = pick();
            Value y;
            try {
                y = steps.get(r.nextInt(steps.size())).apply(x);
            } catch (IllegalArgumentException e) {
                continue; // this random choice is invalid for x (shape inference said why); try another
            }
            if (y == null || HostTensor.numel(y.shape()) == 0 || HostTensor.numel(y.shape()) > MAX_NUMEL) continue;
            pool.add(y);
            done++;
        }
        // The last value is an output; sometimes another non-input value too.
        Value last = pool.get(pool.size() - 1);
        g.output("out0", last);
        List<Value> others = pool.subList(inputCount, pool.size() - 1);
        if (!others.isEmpty() && r.nextBoolean()) g.output("out1", others.get(r.nextInt(others.size())));
        return new Case(seed, g.build(), inputs);
    }

    /** A pool value, biased to recent ones so chains grow deep. */
    private Value pick() {
        int n = pool.size();
        return pool.get(r.nextInt(3) == 0 ? r.nextInt(n) : n - 1 - r.nextInt(Math.min(n, 2)));
    }

    // ---- elementwise ----

    private Value binary(Value x) {
        Value y = partner(x);
        boolean swap = r.nextBoolean();
        Value a = swap ? y : x;
        Value b = swap ? x : y;
        return switch (r.nextInt(7)) {
            case 0 -> g.add(a, b);
            case 1 -> g.sub(a, b);
            case 2 -> g.mul(a, b);
            case 3 -> g.div(a, positive(b)); // a denominator >= 1
            case 4 -> g.op("Min", a, b);
            case 5 -> g.op("Max", a, b);
            default -> g.op("Pow", g.add(g.op("Sigmoid", a), g.constScalar(0.5f)), // base in (0.5, 1.5)
                    g.constant(data.floats(b.shape(), 2)));
        };
    }

    /** Ops defined and tame everywhere. */
    private Value unary(Value x) {
        String op = pickOf("Neg", "Abs", "Relu", "Sigmoid", "Tanh", "Sin", "Cos", "Erf", "Floor", "Ceil");
        return g.op(op, op.equals("Floor") || op.equals("Ceil") ? g.mul(x, g.constScalar(3f)) : x);
    }

    /** Ops with a restricted domain or range, applied where they are safe. */
    private Value guardedUnary(Value x) {
        return switch (r.nextInt(5)) {
            case 0 -> g.op("Sqrt", positive(x));
            case 1 -> g.op("Log", positive(x));
            case 2 -> g.op("Reciprocal", positive(x));
            case 3 -> g.op("Exp", clip(x, -4, 4));
            default -> clip(x, -1 + r.nextFloat(), 1 + r.nextFloat());
        };
    }

    private Value positive(Value x) {
        return g.add(g.op("Abs", x), g.constScalar(1f));
    }

    private Value clip(Value x, float lo, float hi) {
        return g.op("Clip", x, g.constScalar(lo), g.constScalar(hi));
    }

    /** Something that broadcasts with x: a pool value when one fits, else a random initializer. */
    private Value partner(Value x) {
        List<Value> fits = pool.stream().filter(v -> broadcasts(x.shape(), v.shape())).toList();
        if (!fits.isEmpty() && r.nextBoolean()) return fits.get(r.nextInt(fits.size()));
        long[] s = x.shape();
        // Drop some leading axes and set some axes to 1; occasionally add a leading axis.
        int drop = r.nextInt(s.length + 1);
        long[] p = Arrays.copyOfRange(s, drop, s.length);
        for (int i = 0; i < p.length; i++) if (r.nextInt(3) == 0) p[i] = 1;
        if (s.length < 4 && r.nextInt(4) == 0) p = prepend(2, s);
        return g.constant(data.floats(p, 1));
    }

    private static boolean broadcasts(long[] a, long[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            long da = a[a.length - i];
            long db = b[b.length - i];
            if (da != db && da != 1 && db != 1) return false;
        }
        return true;
    }

    // ---- matrix products, softmax ----

    private Value matMul(Value x) {
        if (x.rank() == 0) return null;
        long k = x.dim(-1);
        long n = 1 + r.nextInt(6);
        long[] w = switch (r.nextInt(3)) {
            case 0 -> new long[] {k};              // 1-D weight: contracts away the last axis
            case 1 -> new long[] {k, n};
            default -> new long[] {2, k, n};     // batched weight broadcasting against x
        };
        // ONNX Runtime bug: MatMul(Transpose(A), B) with a 1-D B is computed as if the Transpose were not
        // there (the MatMul/Transpose fusion): Transpose(iota[3,3]) times [1,10,100] gives [210,543,876],
        // not [630,741,852]. Left out.
        if (w.length == 1 && x.name().startsWith("Transpose")) return null;
        if (x.rank() >= 2 && r.nextInt(4) == 0) {
            // x as the right operand, behind a constant [n, rows of x].
            return g.matMul(g.constant(data.floats(new long[] {n, x.dim(-2)}, 1)), x);
        }
        return g.matMul(x, g.constant(data.floats(w, (float) (1 / Math.sqrt(k)))));
    }

    private Value gemm(Value x) {
        Value a = x.rank() == 2 ? x : g.op("Flatten", Map.of("axis", (long) r.nextInt(x.rank() + 1)), x);
        boolean transA = r.nextBoolean();
        boolean transB = r.nextBoolean();
        long m = a.dim(transA ? 1 : 0);
        long k = a.dim(transA ? 0 : 1);
        long n = 1 + r.nextInt(6);
        Value b = g.constant(data.floats(transB ? new long[] {n, k} : new long[] {k, n}, (float) (1 / Math.sqrt(k))));
        Map<String, Object> attrs = Map.of("transA", transA ? 1L : 0L, "transB", transB ? 1L : 0L,
                "alpha", 0.5f + r.nextFloat(), "beta", 0.5f + r.nextFloat());
        List<Value> in = new ArrayList<>(List.of(a, b));
        long[][] cShapes = {{n}, {m, n}, {1, n}, {m, 1}, {1}};
        if (r.nextInt(4) > 0) in.add(g.constant(data.floats(cShapes[r.nextInt(cShapes.length)], 1)));
        return g.op("Gemm", in, attrs, 1).get(0);
    }

    private Value softmax(Value x) {
        return g.softmax(x, axis(x));
    }

    // ---- shapes ----

    private Value reshape(Value x) {
        long[] target = data.factorization(HostTensor.numel(x.shape()), 1 + r.nextInt(4));
        if (r.nextInt(3) == 0) target[r.nextInt(target.length)] = -1;
        else if (r.nextInt(3) == 0 && target.length <= x.rank()) target[0] = x.dim(0) == target[0] ? 0 : target[0];
        return g.reshape(x, target);
    }

    private Value transpose(Value x) {
        if (r.nextInt(4) == 0) return g.transpose(x);
        List<Long> perm = new ArrayList<>();
        for (long i = 0; i < x.rank(); i++) perm.add(i);
        java.util.Collections.shuffle(perm, r);
        long[] p = perm.stream().mapToLong(Long::longValue).toArray();
        // ONNX Runtime bug: GemmTransposeFusion folds a 2-D Transpose with perm [0, 1] (the identity) into
        // a following Gemm as if it swapped the axes ("GEMM: Dimension mismatch"). Left out for rank 2.
        if (Arrays.equals(p, new long[] {0, 1})) return null;
        return g.transpose(x, p);
    }

    private Value concat(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        long[] s = x.shape();
        s[axis < 0 ? axis + s.length : axis] = 1 + r.nextInt(3);
        Value other = r.nextBoolean() ? x : g.constant(data.floats(s, 1));
        return r.nextBoolean() ? g.concat(axis, x, other) : g.concat(axis, other, x, other);
    }

    private Value split(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        long dim = x.dim(axis);
        if (dim < 2) return null;
        long first = 1 + r.nextInt((int) dim - 1);
        List<Value> parts = g.split(x, axis, first, dim - first);
        return parts.get(r.nextInt(2));
    }

    private Value slice(Value x) {
        if (x.rank() == 0) return null;
        int n = 1 + r.nextInt(Math.max(1, x.rank()));
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] steps = new long[n];
        List<Long> axes = shuffledAxes(x);
        long[] ax = new long[n];
        for (int i = 0; i < n; i++) {
            ax[i] = axes.get(i) - (r.nextBoolean() ? x.rank() : 0); // negative axes too
            long dim = x.dim((int) axes.get(i).longValue());
            steps[i] = pickOf(1L, 1L, 2L, 3L, -1L, -2L);
            starts[i] = r.nextInt((int) (2 * dim + 3)) - dim - 1;
            ends[i] = r.nextInt((int) (2 * dim + 3)) - dim - 1;
            if (r.nextInt(5) == 0) ends[i] = steps[i] > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // "to the end" idiom
        }
        boolean defaults = x.rank() == n && r.nextInt(4) == 0 && Arrays.stream(steps).allMatch(s -> s == 1);
        Value in = x;
        return defaults ? g.slice(in, starts, ends, null, null) : g.slice(in, starts, ends, ax, steps);
    }

    private Value gather(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        long dim = x.dim(axis);
        long[] idxShape = data.shape(r.nextInt(3));
        return g.gather(x, g.constant(data.indices(idxShape, dim)), axis);
    }

    private Value gatherElements(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        int a = axis < 0 ? axis + x.rank() : axis;
        long[] s = x.shape();
        for (int i = 0; i < s.length; i++) s[i] = i == a ? 1 + r.nextInt(5) : 1 + r.nextInt((int) s[i]);
        return g.gatherElements(x, g.constant(data.indices(s, x.dim(a))), axis);
    }

    private Value scatterElements(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        int a = axis < 0 ? axis + x.rank() : axis;
        String reduction = pickOf("none", "add", "mul");
        long[] s = x.shape();
        for (int i = 0; i < s.length; i++) s[i] = 1 + r.nextInt((int) s[i]);
        // With reduction none, duplicate targets are undefined in ONNX: indices along the axis are distinct.
        HostTensor idx = reduction.equals("none") ? data.distinctIndices(s, a, x.dim(a)) : data.indices(s, x.dim(a));
        return g.scatterElements(x, g.constant(idx), g.constant(data.floats(s, 1)), axis, reduction);
    }

    private Value topK(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        long k = 1 + r.nextInt((int) x.dim(axis));
        boolean sorted = r.nextInt(4) > 0;
        List<Value> vi = g.topK(x, k, axis, r.nextBoolean(), sorted);
        // Unsorted TopK returns its k elements in an unspecified order: only their sum is compared.
        if (!sorted) return g.reduceSum(vi.get(0), new long[] {axis}, true);
        // Indices too: ties (frequent after Relu, Floor, Cast) must come lower index first on both.
        return r.nextBoolean() ? g.cast(vi.get(1), DType.FLOAT32) : vi.get(0);
    }

    private Value argMax(Value x) {
        if (x.rank() == 0) return null;
        Map<String, Object> a = Map.of("axis", (long) axis(x), "keepdims", r.nextBoolean() ? 1L : 0L,
                "select_last_index", r.nextBoolean() ? 1L : 0L);
        return g.cast(g.op("ArgMax", a, x), DType.FLOAT32);
    }

    private Value reduce(Value x) {
        long[] axes = shuffledAxes(x).stream().limit(r.nextInt(x.rank() + 1)).mapToLong(Long::longValue).toArray();
        boolean keep = r.nextBoolean();
        return switch (r.nextInt(3)) {
            case 0 -> g.reduceMax(x, axes, keep);
            case 1 -> g.reduceMean(x, axes, keep);
            default -> g.reduceSum(x, axes, keep);
        };
    }

    // ---- NCHW ops: conv, pooling, normalization, resize ----

    /** x as a 4-D tensor (unsqueezing leading axes), or null when it has more axes. */
    private Value as4d(Value x) {
        if (x.rank() > 4) return null;
        if (x.rank() == 4) return x;
        long[] lead = IntStream.range(0, 4 - x.rank()).asLongStream().toArray();
        return g.unsqueeze(x, lead);
    }

    private Value conv(Value x) {
        Value v = as4d(x);
        if (v == null) return null;
        long c = v.dim(1);
        int group = c % 2 == 0 && r.nextBoolean() ? 2 : 1;
        long m = group * (1 + r.nextInt(3));
        long[] kernel = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        long[] pads = {r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2)};
        long[] strides = {1 + r.nextInt(2), 1 + r.nextInt(2)};
        long[] dilations = {1 + r.nextInt(2), 1 + r.nextInt(2)};
        Value w = g.constant(data.floats(new long[] {m, c / group, kernel[0], kernel[1]},
                (float) (1 / Math.sqrt(c / group * kernel[0] * kernel[1]))));
        Value b = r.nextBoolean() ? g.constant(data.floats(new long[] {m}, 1)) : null;
        return g.conv(v, w, b, strides, pads, dilations, group);
    }

    private Value pool(Value x) {
        Value v = as4d(x);
        if (v == null) return null;
        long[] kernel = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        // PyTorch-style pools need pads of at most half the kernel, which ONNX graphs in practice respect.
        long[] pads = {r.nextInt((int) kernel[0] / 2 + 1), r.nextInt((int) kernel[1] / 2 + 1),
                r.nextInt((int) kernel[0] / 2 + 1), r.nextInt((int) kernel[1] / 2 + 1)};
        long[] strides = {1 + r.nextInt(2), 1 + r.nextInt(2)};
        // ONNX Runtime bug: where ceil_mode drops a last window that would start in the end padding, some
        // graphs fail at run time ("Shape mismatch attempting to re-use buffer. {1,1,1,1} != {1,1,1,2}"; fine
        // with optimization=disable): ORT seems to plan the pool's output with the opset-17 formula, without
        // the drop its kernel makes. Such pools are built with ceil_mode 0 instead.
        boolean ceil = r.nextBoolean() && !ceilDropsWindow(v, kernel, strides, pads);
        if (r.nextBoolean()) {
            // MaxPool without dilations: the DJL backend declares dilated MaxPool unsupported.
            return g.maxPool(v, kernel, strides, pads, null, ceil);
        }
        // Where ceil_mode adds a last window reaching past the end padding, count_include_pad=1 divides by
        // the window clipped to input + pads in DJL (PyTorch) but by the whole kernel in ONNX Runtime; the
        // opset-17 spec does not say which. Left out.
        boolean includePad = r.nextBoolean() && !(ceil && overhangs(v, kernel, strides, pads));
        Map<String, Object> a = Map.of("kernel_shape", kernel, "strides", strides, "pads", pads,
                "ceil_mode", ceil ? 1L : 0L, "count_include_pad", includePad ? 1L : 0L);
        return g.op("AveragePool", a, v);
    }

    /** Whether ceil_mode would drop a last window starting inside the end padding on some spatial axis. */
    private static boolean ceilDropsWindow(Value x, long[] kernel, long[] strides, long[] pads) {
        for (int i = 0; i < 2; i++) {
            long in = x.dim(2 + i);
            long span = in + pads[i] + pads[i + 2] - kernel[i];
            long positions = -Math.floorDiv(-span, strides[i]);
            if (span >= 0 && positions * strides[i] >= in + pads[i]) return true;
        }
        return false;
    }

    /** Whether ceil_mode adds a window that does not fit inside input + pads on some spatial axis. */
    private static boolean overhangs(Value x, long[] kernel, long[] strides, long[] pads) {
        for (int i = 0; i < 2; i++) {
            if ((x.dim(2 + i) + pads[i] + pads[i + 2] - kernel[i]) % strides[i] != 0) return true;
        }
        return false;
    }

    private Value layerNorm(Value x) {
        if (x.rank() == 0) return null;
        int axis = axis(x);
        long[] normalized = Arrays.copyOfRange(x.shape(), axis < 0 ? axis + x.rank() : axis, x.rank());
        // ONNX Runtime refuses to normalize over a single element ("Size of X.shape[axis:] must be larger than 1"),
        // which ONNX allows (the result is the bias): such axes are left out.
        if (HostTensor.numel(normalized) == 1) return null;
        // ONNX Runtime bug: its SkipLayerNormalization fusion takes Add + LayerNormalization over several
        // axes and then fails at run time ("gamma is expected to have 1 dimension, got 2"). Left out.
        if (normalized.length > 1 && x.name().startsWith("Add")) return null;
        Value scale = g.constant(data.floats(normalized, 1));
        Value bias = r.nextBoolean() ? g.constant(data.floats(normalized, 1)) : null;
        // A small epsilon over nearly equal values is ill-conditioned in float32 (ONNX Runtime's variance
        // cancels): both backends are right and still differ past the tolerance. Epsilons stay large.
        return g.layerNorm(x, scale, bias, axis, pickOf(0.05f, 0.1f));
    }

    private Value instanceNorm(Value x) {
        Value v = x.rank() >= 3 ? x : as4d(x);
        if (v == null) return null;
        // One element per instance normalizes to B, but float32 cancellation leaves the two backends
        // apart past the tolerance (0.09976 vs 0.09979): left out.
        if (HostTensor.numel(v.shape()) / (v.dim(0) * v.dim(1)) == 1) return null;
        long[] c = {v.dim(1)};
        return g.op("InstanceNormalization", Map.of("epsilon", pickOf(0.05f, 0.1f)), v,
                g.constant(data.floats(c, 1)), g.constant(data.floats(c, 1)));
    }

    private Value resize(Value x) {
        Value v = as4d(x);
        if (v == null) return null;
        boolean linear = r.nextInt(3) == 0;
        String mode = linear ? "linear" : "nearest";
        String coord = linear ? pickOf("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")
                : pickOf("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn");
        String nearest = pickOf("round_prefer_floor", "round_prefer_ceil", "floor", "ceil");
        // ONNX Runtime bug: an axis whose scale is 1 (N and C always) is copied unchanged, although with
        // tf_half_pixel_for_nn (x + 0.5) and a ceiling nearest_mode ONNX moves its indices up by one (DJL
        // does): [0, 1, 2, 3] resized to itself gives [1, 2, 3, 3]. That pairing is left out.
        if (coord.equals("tf_half_pixel_for_nn") && nearest.endsWith("ceil")) nearest = pickOf("floor", "round_prefer_floor");
        if (r.nextBoolean()) {
            long[] sizes = v.shape();
            sizes[2] = 1 + r.nextInt(8);
            sizes[3] = 1 + r.nextInt(8);
            // Nearest picks an index by rounding a coordinate that can fall exactly on .5 or an integer; with
            // sizes whose ratio float32 cannot hold (2/120), ONNX Runtime's float32 coordinates land just
            // off the tie (index 29 where exact arithmetic, and DJL, give 30). Such sizes are left out.
            if (!linear && !(dyadic(sizes[2], v.dim(2)) && dyadic(sizes[3], v.dim(3)))) return null;
            return g.resize(v, sizes, mode, coord, nearest);
        }
        float[] scales = {1, 1, pickOf(0.5f, 1f, 1.5f, 2f, 3f), pickOf(0.5f, 1f, 1.5f, 2f, 3f)};
        return g.resize(v, scales, mode, coord, nearest);
    }

    /** Whether out/in is a fraction with a power-of-two denominator (so float32 holds the scale exactly). */
    private static boolean dyadic(long out, long in) {
        long d = in / java.math.BigInteger.valueOf(out).gcd(java.math.BigInteger.valueOf(in)).longValue();
        return (d & (d - 1)) == 0;
    }

    // ---- casts, broadcasting, masks ----

    private Value cast(Value x) {
        return switch (r.nextInt(3)) {
            case 0 -> g.cast(g.op("Abs", g.cast(x, DType.FLOAT64)), DType.FLOAT32);
            case 1 -> g.cast(g.cast(g.mul(x, g.constScalar(4f)), DType.INT64), DType.FLOAT32); // truncates toward 0
            default -> g.cast(g.op("Neg", g.cast(g.cast(g.mul(x, g.constScalar(4f)), DType.INT64), DType.FLOAT64)),
                    DType.FLOAT32);
        };
    }

    private Value expand(Value x) {
        long[] s = x.shape();
        long[] target = s.length < 4 && r.nextBoolean() ? prepend(1 + r.nextInt(3), s) : s.clone();
        for (int i = 0; i < target.length; i++) if (target[i] == 1 && r.nextBoolean()) target[i] = 1 + r.nextInt(4);
        // Target dims of 1 where x is larger are legal too (x's dim wins).
        if (target.length > 0 && r.nextInt(4) == 0) target[target.length - 1] = 1;
        return g.expand(x, target);
    }

    private Value where(Value x) {
        Value y = partner(x);
        Value cond = switch (r.nextInt(4)) {
            case 0 -> g.equal(x, g.op("Relu", x));   // exactly where x >= 0
            case 1 -> g.op("Less", x, y);
            case 2 -> g.op("Greater", x, y);
            default -> g.op("Not", g.equal(g.op("Floor", x), g.op("Floor", y)));
        };
        return r.nextBoolean() ? g.where(cond, x, y) : g.cast(cond, DType.FLOAT32);
    }

    private Value unsqueeze(Value x) {
        int outRank = x.rank() + 1 + r.nextInt(2);
        if (outRank > 5) return null;
        List<Long> positions = new ArrayList<>();
        for (long i = 0; i < outRank; i++) positions.add(i);
        java.util.Collections.shuffle(positions, r);
        long[] axes = positions.stream().limit(outRank - x.rank()).mapToLong(a -> r.nextBoolean() ? a : a - outRank).toArray();
        return g.unsqueeze(x, axes);
    }

    private Value squeeze(Value x) {
        long[] ones = IntStream.range(0, x.rank()).filter(i -> x.dim(i) == 1).asLongStream().toArray();
        if (ones.length == 0) return null;
        return r.nextBoolean() ? g.squeeze(x) : g.squeeze(x, ones[r.nextInt(ones.length)]);
    }

    private Value identityLike(Value x) {
        return r.nextBoolean() ? g.op("Identity", x) : g.op("Flatten", Map.of("axis", (long) (r.nextInt(2 * x.rank() + 1) - x.rank())), x);
    }

    private Value shape(Value x) {
        Map<String, Object> a = r.nextBoolean() ? Map.of()
                : Map.of("start", (long) (r.nextInt(2 * x.rank() + 1) - x.rank()), "end", (long) (r.nextInt(2 * x.rank() + 1) - x.rank()));
        return g.cast(g.op("Shape", a, x), DType.FLOAT32);
    }

    /** Constant, ConstantOfShape and Range feeding an Add with x. */
    private Value constants(Value x) {
        long[] s = x.shape();
        Value c = switch (r.nextInt(3)) {
            case 0 -> g.op("Constant", Map.of("value", data.floats(s, 1)));
            case 1 -> g.op("ConstantOfShape", Map.of("value", HostTensor.of(new float[] {r.nextFloat()}, 1)), g.constLongs(s));
            default -> {
                if (s.length == 0) yield g.constScalar(1f);
                float start = r.nextInt(5) - 2;
                float delta = pickOf(0.5f, 1f, -0.25f);
                yield g.op("Range", g.constant(HostTensor.of(new float[] {start})), g.constant(HostTensor.of(
                        new float[] {start + delta * s[s.length - 1]})), g.constant(HostTensor.of(new float[] {delta})));
            }
        };
        return g.add(x, c);
    }

    /** A random axis of x, negative half the time. */
    private int axis(Value x) {
        if (x.rank() == 0) throw new IllegalArgumentException("rank 0 has no axis");
        int a = r.nextInt(x.rank());
        return r.nextBoolean() ? a : a - x.rank();
    }

    private List<Long> shuffledAxes(Value x) {
        List<Long> axes = new ArrayList<>();
        for (long i = 0; i < x.rank(); i++) axes.add(i);
        java.util.Collections.shuffle(axes, r);
        return axes;
    }

    private static long[] prepend(long d, long[] s) {
        long[] out = new long[s.length + 1];
        out[0] = d;
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    @SafeVarargs
    private <T> T pickOf(T... options) {
        return options[r.nextInt(options.length)];
    }
}
