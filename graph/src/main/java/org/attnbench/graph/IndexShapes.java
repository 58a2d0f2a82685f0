package org.attnbench.graph;

import static org.attnbench.graph.OpShapes.constLongs;
import static org.attnbench.graph.OpShapes.input;
import static org.attnbench.graph.OpShapes.longAttr;
import static org.attnbench.graph.OpShapes.normalizeAxis;
import static org.attnbench.graph.OpShapes.one;
import static org.attnbench.graph.OpShapes.optional;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;

/** Indexing ops: Slice, Gather, GatherElements, ScatterElements, TopK. */
final class IndexShapes {
    private IndexShapes() {}

    static void addTo(OpShapes.Table rules) {
        rules.add("Slice", IndexShapes::slice);
        rules.add("Gather", (in, a, c) -> {
            Value data = input(in, 0, "data");
            Value indices = indices(input(in, 1, "indices"));
            int axis = normalizeAxis(longAttr(a, "axis", 0), data.rank());
            c.valueOf(indices).ifPresent(t -> checkRange(t.toLongs(), data.dim(axis), axis));
            long[] d = data.shape();
            long[] out = new long[d.length - 1 + indices.rank()];
            System.arraycopy(d, 0, out, 0, axis);
            System.arraycopy(indices.shape(), 0, out, axis, indices.rank());
            System.arraycopy(d, axis + 1, out, axis + indices.rank(), d.length - axis - 1);
            return one(data.dtype(), out);
        });
        rules.add("GatherElements", (in, a, c) -> {
            Value data = input(in, 0, "data");
            Value indices = indices(input(in, 1, "indices"));
            sameRank(data, indices);
            normalizeAxis(longAttr(a, "axis", 0), data.rank());
            return one(data.dtype(), indices.shape());
        });
        rules.add("ScatterElements", (in, a, c) -> {
            Value data = input(in, 0, "data");
            Value indices = indices(input(in, 1, "indices"));
            Value updates = input(in, 2, "updates");
            sameRank(data, indices);
            OpShapes.sameDType(data, updates);
            if (!Arrays.equals(indices.shape(), updates.shape())) {
                throw new IllegalArgumentException("indices " + indices + " and updates " + updates + " differ in shape");
            }
            normalizeAxis(longAttr(a, "axis", 0), data.rank());
            // max and min reductions arrive in opset 18.
            OpShapes.stringAttr(a, "reduction", "none", "none", "add", "mul");
            return one(data.dtype(), data.shape());
        });
        rules.add("TopK", (in, a, c) -> {
            Value x = input(in, 0, "X");
            long[] k = constLongs(c, input(in, 1, "K"), "TopK's K");
            int axis = normalizeAxis(longAttr(a, "axis", -1), x.rank());
            if (k.length != 1 || k[0] < 0 || k[0] > x.dim(axis)) {
                throw new IllegalArgumentException("K " + Arrays.toString(k) + " must be one value in [0, " + x.dim(axis) + "]");
            }
            long[] s = x.shape();
            s[axis] = k[0];
            return List.of(new OutputType(x.dtype(), s), new OutputType(DType.INT64, s));
        });
    }

    private static Value indices(Value v) {
        OpShapes.requireDType(v, "indices", DType.INT32, DType.INT64);
        return v;
    }

    private static void sameRank(Value data, Value indices) {
        if (data.rank() != indices.rank()) {
            throw new IllegalArgumentException("indices rank " + indices.rank() + " differs from data rank " + data.rank());
        }
    }

    private static void checkRange(long[] indices, long dim, int axis) {
        for (long i : indices) {
            if (i < -dim || i >= dim) {
                throw new IllegalArgumentException("index " + i + " out of range for axis " + axis + " of size " + dim);
            }
        }
    }

    /** Slice, opset 13: starts/ends/axes/steps are constant inputs; out-of-range bounds clamp. */
    private static List<OutputType> slice(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "data");
        long[] starts = constLongs(c, input(in, 1, "starts"), "Slice's starts");
        long[] ends = constLongs(c, input(in, 2, "ends"), "Slice's ends");
        Value axesInput = optional(in, 3);
        Value stepsInput = optional(in, 4);
        long[] axes = axesInput == null ? null : constLongs(c, axesInput, "Slice's axes");
        long[] steps = stepsInput == null ? null : constLongs(c, stepsInput, "Slice's steps");
        int n = starts.length;
        if (ends.length != n || axes != null && axes.length != n || steps != null && steps.length != n) {
            throw new IllegalArgumentException("starts, ends, axes and steps differ in length");
        }
        int[] ax = axes == null ? java.util.stream.IntStream.range(0, n).toArray() : OpShapes.normalizeAxes(axes, x.rank());
        long[] out = x.shape();
        for (int i = 0; i < n; i++) {
            long step = steps == null ? 1 : steps[i];
            if (step == 0) throw new IllegalArgumentException("Slice step is 0");
            if (ax[i] >= x.rank()) throw new IllegalArgumentException("Slice has more starts than data has axes");
            long dim = out[ax[i]];
            if (dim == 0) continue;
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                start = clamp(start, 0, dim);
                end = clamp(end, 0, dim);
                out[ax[i]] = Math.max(0, -Math.floorDiv(start - end, step));
            } else {
                start = clamp(start, 0, dim - 1);
                end = clamp(end, -1, dim - 1);
                out[ax[i]] = Math.max(0, -Math.floorDiv(end - start, -step));
            }
        }
        return one(x.dtype(), out);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
