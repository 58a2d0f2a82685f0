package org.attnbench.graph;

import static org.attnbench.graph.OpShapes.constLongs;
import static org.attnbench.graph.OpShapes.input;
import static org.attnbench.graph.OpShapes.longAttr;
import static org.attnbench.graph.OpShapes.one;
import static org.attnbench.graph.OpShapes.optional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/** Ops that rearrange or create shapes: Reshape, Transpose, Concat, Split, (Un)Squeeze, Flatten, Expand, Shape, constants. */
final class ShapeOpShapes {
    private ShapeOpShapes() {}

    static void addTo(OpShapes.Table rules) {
        rules.add("Reshape", ShapeOpShapes::reshape);
        rules.add("Transpose", ShapeOpShapes::transpose);
        rules.add("Concat", ShapeOpShapes::concat);
        rules.add("Split", new ShapeInference() {
            @Override
            public List<OutputType> infer(List<Value> in, Map<String, Object> a, Constants c) {
                return split(in, a, c, -1);
            }

            @Override
            public List<OutputType> infer(List<Value> in, Map<String, Object> a, Constants c, int outputCount) {
                return split(in, a, c, outputCount);
            }
        });
        rules.add("Squeeze", ShapeOpShapes::squeeze);
        rules.add("Unsqueeze", ShapeOpShapes::unsqueeze);
        rules.add("Flatten", (in, a, c) -> {
            Value x = input(in, 0, "input");
            long axis = longAttr(a, "axis", 1);
            if (axis < -x.rank() || axis > x.rank()) {
                throw new IllegalArgumentException("Flatten axis " + axis + " out of range for rank " + x.rank());
            }
            int split = (int) (axis < 0 ? axis + x.rank() : axis);
            long[] s = x.shape();
            return one(x.dtype(), new long[] {HostTensor.numel(Arrays.copyOf(s, split)),
                    HostTensor.numel(Arrays.copyOfRange(s, split, s.length))});
        });
        rules.add("Expand", (in, a, c) -> {
            Value x = input(in, 0, "input");
            return one(x.dtype(), OpShapes.broadcast(x.shape(), constLongs(c, input(in, 1, "shape"), "Expand's shape")));
        });
        rules.add("Shape", (in, a, c) -> {
            int rank = input(in, 0, "data").rank();
            long start = clampAxis(longAttr(a, "start", 0), rank);
            long end = clampAxis(longAttr(a, "end", rank), rank);
            return one(DType.INT64, new long[] {Math.max(0, end - start)});
        });
        rules.add("ConstantOfShape", (in, a, c) -> {
            long[] shape = constLongs(c, input(in, 0, "input"), "ConstantOfShape's shape");
            if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            Object value = a.get("value");
            return one(value == null ? DType.FLOAT32 : ((HostTensor) value).dtype(), shape);
        });
        rules.add("Constant", (in, a, c) -> {
            HostTensor t = constantValue(a);
            return one(t.dtype(), t.shape());
        });
        rules.add("Range", (in, a, c) -> {
            Value start = input(in, 0, "start");
            double[] v = new double[3];
            for (int i = 0; i < 3; i++) {
                Value x = input(in, i, i == 0 ? "start" : i == 1 ? "limit" : "delta");
                OpShapes.sameDType(start, x);
                if (x.rank() != 0 && !(x.rank() == 1 && x.dim(0) == 1)) {
                    throw new IllegalArgumentException("Range inputs must be scalars");
                }
                v[i] = OpShapes.constant(c, x, "Range's inputs").toDoubles()[0];
            }
            if (v[2] == 0) throw new IllegalArgumentException("Range's delta is 0");
            return one(start.dtype(), new long[] {Math.max(0, (long) Math.ceil((v[1] - v[0]) / v[2]))});
        });
    }

    /** The tensor of a Constant node (value, value_float(s), value_int(s)); also used to fold it. */
    static HostTensor constantValue(Map<String, Object> a) {
        if (a.size() != 1) throw new IllegalArgumentException("Constant needs exactly one value attribute, got " + a.keySet());
        Map.Entry<String, Object> e = a.entrySet().iterator().next();
        Object v = e.getValue();
        return switch (e.getKey()) {
            case "value" -> (HostTensor) v;
            case "value_float" -> HostTensor.of(new float[] {((Number) v).floatValue()});
            case "value_floats" -> HostTensor.of((float[]) v, ((float[]) v).length);
            case "value_int" -> HostTensor.of(new long[] {((Number) v).longValue()});
            case "value_ints" -> {
                long[] ls = OpShapes.intsAttr(a, "value_ints");
                yield HostTensor.of(ls, ls.length);
            }
            default -> throw new IllegalArgumentException("Constant attribute " + e.getKey() + " is not supported");
        };
    }

    /** Shape's start/end: negative counts from the back, then clamped to [0, rank]. */
    private static long clampAxis(long axis, int rank) {
        return Math.min(rank, Math.max(0, axis < 0 ? axis + rank : axis));
    }

    private static List<OutputType> reshape(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        long[] src = input(in, 0, "data").shape();
        long[] target = constLongs(c, input(in, 1, "shape"), "Reshape's shape");
        boolean allowZero = longAttr(a, "allowzero", 0) != 0;
        long known = 1;
        int inferAt = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                if (i >= src.length) {
                    throw new IllegalArgumentException("shape entry 0 at " + i + " has no input dimension to copy");
                }
                target[i] = src[i];
            }
            if (target[i] == -1) {
                if (inferAt >= 0) throw new IllegalArgumentException("more than one -1 in shape");
                inferAt = i;
            } else if (target[i] < 0) {
                throw new IllegalArgumentException("invalid dimension " + target[i] + " in shape");
            } else {
                known *= target[i];
            }
        }
        long total = HostTensor.numel(src);
        if (inferAt >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("cannot infer the -1 dimension of " + total + " elements");
            }
            target[inferAt] = total / known;
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + total + " elements to " + Arrays.toString(target));
        }
        return one(in.get(0).dtype(), target);
    }

    private static List<OutputType> transpose(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        long[] src = input(in, 0, "data").shape();
        long[] perm = OpShapes.intsAttr(a, "perm");
        if (perm != null && perm.length != src.length) {
            throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " does not match rank " + src.length);
        }
        if (perm != null) OpShapes.normalizeAxes(perm, src.length);
        long[] out = new long[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[perm == null ? src.length - 1 - i : OpShapes.normalizeAxis(perm[i], src.length)];
        }
        return one(in.get(0).dtype(), out);
    }

    private static List<OutputType> concat(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value first = input(in, 0, "inputs");
        if (!a.containsKey("axis")) throw new IllegalArgumentException("Concat needs the 'axis' attribute");
        int axis = OpShapes.normalizeAxis(longAttr(a, "axis", 0), first.rank());
        long[] out = first.shape();
        for (Value v : in.subList(1, in.size())) {
            if (v == null) throw new IllegalArgumentException("missing input");
            OpShapes.sameDType(first, v);
            long[] s = v.shape();
            for (int i = 0; i < out.length; i++) {
                if (s.length != out.length || i != axis && s[i] != out[i]) {
                    throw new IllegalArgumentException("shapes " + first + " and " + v + " differ outside axis " + axis);
                }
            }
            out[axis] += s[axis];
        }
        return one(first.dtype(), out);
    }

    /** Split, opset 13: sizes from the optional 'split' input, else equal parts, one per output. */
    private static List<OutputType> split(List<Value> in, Map<String, Object> a, ShapeInference.Constants c,
                                          int outputCount) {
        Value x = input(in, 0, "input");
        int axis = OpShapes.normalizeAxis(longAttr(a, "axis", 0), x.rank());
        long dim = x.dim(axis);
        Value splitInput = optional(in, 1);
        long[] sizes;
        if (splitInput != null) {
            sizes = constLongs(c, splitInput, "Split's split");
            if (Arrays.stream(sizes).sum() != dim || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
                throw new IllegalArgumentException("split " + Arrays.toString(sizes) + " does not add up to dimension " + dim);
            }
            if (outputCount > 0 && outputCount != sizes.length) {
                throw new IllegalArgumentException("split has " + sizes.length + " parts but the node has " + outputCount + " outputs");
            }
        } else {
            if (outputCount <= 0) throw new IllegalArgumentException("Split without a 'split' input needs its output count");
            if (dim % outputCount != 0) {
                throw new IllegalArgumentException("dimension " + dim + " does not split evenly into " + outputCount + " outputs");
            }
            sizes = new long[outputCount];
            Arrays.fill(sizes, dim / outputCount);
        }
        List<OutputType> out = new ArrayList<>();
        for (long size : sizes) {
            long[] s = x.shape();
            s[axis] = size;
            out.add(new OutputType(x.dtype(), s));
        }
        return out;
    }

    private static List<OutputType> squeeze(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "data");
        Value axesInput = optional(in, 1);
        boolean[] drop = new boolean[x.rank()];
        if (axesInput == null) {
            for (int i = 0; i < drop.length; i++) drop[i] = x.dim(i) == 1;
        } else {
            for (int axis : OpShapes.normalizeAxes(constLongs(c, axesInput, "Squeeze's axes"), x.rank())) {
                if (x.dim(axis) != 1) {
                    throw new IllegalArgumentException("cannot squeeze axis " + axis + " of size " + x.dim(axis));
                }
                drop[axis] = true;
            }
        }
        long[] s = x.shape();
        return one(x.dtype(), java.util.stream.IntStream.range(0, s.length).filter(i -> !drop[i]).mapToLong(i -> s[i]).toArray());
    }

    private static List<OutputType> unsqueeze(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "data");
        long[] axes = constLongs(c, input(in, 1, "axes"), "Unsqueeze's axes");
        int rank = x.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (int axis : OpShapes.normalizeAxes(axes, rank)) inserted[axis] = true;
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) out[i] = inserted[i] ? 1 : x.dim(j++);
        return one(x.dtype(), out);
    }
}
