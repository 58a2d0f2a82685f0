package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/** Reductions over axes (keepdims, noop_with_empty_axes) and ArgMax/ArgMin. */
final class ReduceOps {
    private ReduceOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("ReduceSum", c -> reduce(c, UnaryOperator.identity(), (x, axes) -> x.sum(axes, true), null));
        ops.add("ReduceMean", c -> reduce(c, UnaryOperator.identity(),
                (x, axes) -> mean(x, axes), null));
        ops.add("ReduceMax", c -> reduce(c, UnaryOperator.identity(), perAxis((x, a) -> x.max(new int[] {a}, true)), null));
        ops.add("ReduceMin", c -> reduce(c, UnaryOperator.identity(), perAxis((x, a) -> x.min(new int[] {a}, true)), null));
        ops.add("ReduceProd", c -> reduce(c, UnaryOperator.identity(), perAxis((x, a) -> x.prod(new int[] {a}, true)), null));
        ops.add("ReduceL1", c -> reduce(c, NDArray::abs, (x, axes) -> x.sum(axes, true), null));
        ops.add("ReduceL2", c -> reduce(c, NDArray::square, (x, axes) -> x.sum(axes, true), NDArray::sqrt));
        ops.add("ReduceSumSquare", c -> reduce(c, NDArray::square, (x, axes) -> x.sum(axes, true), null));
        ops.add("ReduceLogSum", c -> reduce(c, UnaryOperator.identity(), (x, axes) -> x.sum(axes, true), NDArray::log));
        ops.add("ReduceLogSumExp", c -> reduce(c, NDArray::exp, (x, axes) -> x.sum(axes, true), NDArray::log));
        ops.add("ArgMax", c -> arg(c, true));
        ops.add("ArgMin", c -> arg(c, false));
    }

    /**
     * pre, then the reduction over the chosen axes with kept dimensions, then post; the kept
     * dimensions are dropped last when keepdims is 0. Axes come from the attribute, or from
     * input 1 (ReduceSum, opset 13+).
     */
    private static NDList reduce(OpContext c, UnaryOperator<NDArray> pre, BiFunction<NDArray, int[], NDArray> f,
                                 UnaryOperator<NDArray> post) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        long[] axes = ShapeOps.axesOf(c, 1);
        boolean keep = c.attrs.getInt("keepdims", 1) == 1;
        if ((axes == null || axes.length == 0) && c.attrs.getInt("noop_with_empty_axes", 0) == 1) return of(x.duplicate());
        int[] dims = axes == null || axes.length == 0
                ? java.util.stream.IntStream.range(0, rank).toArray()
                : Arrays.stream(axes).mapToInt(a -> ShapeOps.axis(a, rank)).distinct().sorted().toArray();
        NDArray y = pre.apply(x);
        if (dims.length > 0) y = f.apply(y, dims);
        if (post != null) y = post.apply(y);
        if (!keep && dims.length > 0) y = y.squeeze(dims);
        return of(y);
    }

    /** libtorch's max/min/prod take one axis at a time. */
    private static BiFunction<NDArray, int[], NDArray> perAxis(BiFunction<NDArray, Integer, NDArray> one) {
        return (x, axes) -> {
            NDArray y = x;
            for (int a : axes) y = one.apply(y, a);
            return y;
        };
    }

    /** Integer means truncate, as the ONNX reference's cast back to the input type does. */
    private static NDArray mean(NDArray x, int[] axes) {
        NDArray sum = x.sum(axes, true);
        if (x.getDataType().isFloating()) return sum.div(count(x, axes));
        return sum.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).div(count(x, axes)).trunc().toType(x.getDataType(), false);
    }

    private static long count(NDArray x, int[] axes) {
        long n = 1;
        for (int a : axes) n *= x.getShape().get(a);
        return n;
    }

    /** Index of the first extreme along the axis; with select_last_index, of the last (found on the flipped axis). */
    private static NDList arg(OpContext c, boolean max) {
        NDArray x = c.in(0);
        int ax = ShapeOps.axis(c.attrs.getInt("axis", 0), x.getShape().dimension());
        boolean last = c.attrs.getInt("select_last_index", 0) == 1;
        NDArray src = last ? x.flip(ax) : x;
        NDArray idx = max ? src.argMax(ax) : src.argMin(ax);
        if (last) idx = idx.neg().add(x.getShape().get(ax) - 1);
        return of(c.attrs.getInt("keepdims", 1) == 1 ? idx.expandDims(ax) : idx);
    }
}
