package org.attnbench.graph;

import static org.attnbench.graph.OpShapes.input;
import static org.attnbench.graph.OpShapes.longAttr;
import static org.attnbench.graph.OpShapes.one;
import static org.attnbench.graph.OpShapes.optional;

import java.util.Arrays;
import java.util.List;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;

/** Reductions (ReduceMax/Mean/Sum, ArgMax) and normalizations (LayerNormalization, InstanceNormalization). */
final class ReduceShapes {
    private ReduceShapes() {}

    static void addTo(OpShapes.Table rules) {
        // Opset 17 still takes ReduceMax/ReduceMean axes as an attribute (an input from opset 18).
        for (String op : List.of("ReduceMax", "ReduceMean")) {
            rules.add(op, (in, a, c) -> {
                Value x = input(in, 0, "data");
                if (optional(in, 1) != null) throw new IllegalArgumentException(op + " takes axes as an attribute in opset 17");
                long[] axes = OpShapes.intsAttr(a, "axes");
                return one(x.dtype(), reduce(x.shape(), axes == null ? new long[0] : axes, longAttr(a, "keepdims", 1) != 0, false));
            });
        }
        // ReduceSum takes them as an optional constant input from opset 13.
        rules.add("ReduceSum", (in, a, c) -> {
            Value x = input(in, 0, "data");
            Value axesInput = optional(in, 1);
            long[] axes = axesInput == null ? new long[0] : OpShapes.constLongs(c, axesInput, "ReduceSum's axes");
            return one(x.dtype(), reduce(x.shape(), axes, longAttr(a, "keepdims", 1) != 0,
                    longAttr(a, "noop_with_empty_axes", 0) != 0));
        });
        rules.add("ArgMax", (in, a, c) -> {
            Value x = input(in, 0, "data");
            long[] axis = {OpShapes.normalizeAxis(longAttr(a, "axis", 0), x.rank())};
            return one(DType.INT64, reduce(x.shape(), axis, longAttr(a, "keepdims", 1) != 0, false));
        });
        rules.add("LayerNormalization", (in, a, c) -> {
            Value x = input(in, 0, "X");
            OpShapes.requireFloat(x, "X");
            int axis = OpShapes.normalizeAxis(longAttr(a, "axis", -1), x.rank());
            long[] normalized = Arrays.copyOfRange(x.shape(), axis, x.rank());
            checkParam(x, input(in, 1, "Scale"), normalized, "Scale");
            if (optional(in, 2) != null) checkParam(x, in.get(2), normalized, "B");
            long[] stats = x.shape();
            Arrays.fill(stats, axis, stats.length, 1);
            // Mean and InvStdDev are computed in stash_type (float by default), whatever X's type.
            DType stash = OpShapes.onnxDType(longAttr(a, "stash_type", DType.FLOAT32.onnxCode()));
            return List.of(new OutputType(x.dtype(), x.shape()), new OutputType(stash, stats), new OutputType(stash, stats));
        });
        rules.add("InstanceNormalization", (in, a, c) -> {
            Value x = input(in, 0, "input");
            OpShapes.requireFloat(x, "input");
            if (x.rank() < 3) throw new IllegalArgumentException("InstanceNormalization needs rank >= 3, got " + x.rank());
            long[] channels = {x.dim(1)};
            checkParam(x, input(in, 1, "scale"), channels, "scale");
            checkParam(x, input(in, 2, "B"), channels, "B");
            return one(x.dtype(), x.shape());
        });
    }

    private static void checkParam(Value x, Value p, long[] shape, String what) {
        OpShapes.sameDType(x, p);
        OpShapes.requireUnidirectional(shape, p.shape(), what);
    }

    /** Output shape of a reduction over {@code axes} (empty: all axes, or none with noop). */
    static long[] reduce(long[] shape, long[] axes, boolean keepDims, boolean noopWhenEmpty) {
        if (axes.length == 0 && noopWhenEmpty) return shape;
        boolean[] reduced = new boolean[shape.length];
        if (axes.length == 0) Arrays.fill(reduced, true);
        for (int axis : OpShapes.normalizeAxes(axes, shape.length)) reduced[axis] = true;
        return java.util.stream.IntStream.range(0, shape.length).filter(i -> keepDims || !reduced[i])
                .mapToLong(i -> reduced[i] ? 1 : shape[i]).toArray();
    }
}
