package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.attnbench.tensor.HostTensor;

/** Ops that read or write at computed positions: gathers, scatters, top-k and cumulative sums. */
final class IndexOps {
    private IndexOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("Gather", IndexOps::gather);
        ops.add("GatherElements", c -> {
            NDArray x = c.in(0);
            int ax = ShapeOps.axis(c.attrs.getInt("axis", 0), x.getShape().dimension());
            return of(x.gather(positive(c.in(1), x.getShape().get(ax)), ax));
        });
        ops.add("ScatterElements", IndexOps::scatter,
                (a, opset, node) -> Checks.oneOf(a, "reduction", "none", "none", "add", "mul"));
        ops.add("Scatter", IndexOps::scatter);
        ops.add("TopK", IndexOps::topK);
        ops.add("CumSum", IndexOps::cumSum);
        ops.add("Compress", c -> {
            NDArray x = c.in(0);
            NDArray kept = c.in(1).nonzero().reshape(-1); // positions where the condition holds
            if (!c.attrs.has("axis")) return of(gatherAxis(x.flatten(), 0, kept));
            return of(gatherAxis(x, ShapeOps.axis(c.attrs.getInt("axis", 0), x.getShape().dimension()), kept));
        });
    }

    /** ONNX allows indices in [-d, d); libtorch wants [0, d). Python-style remainder maps one onto the other. */
    static NDArray positive(NDArray indices, long d) {
        return indices.toType(DataType.INT64, false).mod(d);
    }

    private static NDList gather(OpContext c) {
        NDArray x = c.in(0);
        int ax = ShapeOps.axis(c.attrs.getInt("axis", 0), x.getShape().dimension());
        return of(gatherAxis(x, ax, positive(c.in(1), x.getShape().get(ax))));
    }

    /** Moves the axis to the front, indexes it with the whole (non-negative) indices tensor, and moves the result back. */
    static NDArray gatherAxis(NDArray x, int ax, NDArray idx) {
        int r = x.getShape().dimension();
        int q = idx.getShape().dimension();
        NDArray front = ax == 0 ? x : x.transpose(moveToFront(r, ax));
        NDArray g = front.get(new NDIndex("{}", idx)); // [idx dims..., x dims without axis...]
        if (ax == 0 || q + r - 1 == 0) return g;
        int[] perm = new int[q + r - 1];
        int k = 0;
        for (int i = 0; i < ax; i++) perm[k++] = q + i;
        for (int i = 0; i < q; i++) perm[k++] = i;
        for (int i = ax; i < r - 1; i++) perm[k++] = q + i;
        return g.transpose(perm);
    }

    private static int[] moveToFront(int rank, int ax) {
        int[] perm = new int[rank];
        perm[0] = ax;
        for (int i = 0, k = 1; i < rank; i++) if (i != ax) perm[k++] = i;
        return perm;
    }

    /**
     * reduction none is libtorch's scatter. DJL does not reach scatter_add or scatter_reduce,
     * so add uses autograd: the gradient of gather is exactly scatter_add of the incoming
     * gradient, O(updates) memory. mul spreads each update over a one-hot axis of size d and
     * multiplies there: O(updates x d) memory, fine for the index-sized data it sees.
     */
    private static NDList scatter(OpContext c) {
        NDArray data = c.in(0);
        int ax = ShapeOps.axis(c.attrs.getInt("axis", 0), data.getShape().dimension());
        NDArray idx = positive(c.in(1), data.getShape().get(ax));
        NDArray upd = c.in(2);
        return switch (c.attrs.getString("reduction", "none")) {
            case "add" -> of(data.add(scatterAdd(data, idx, upd, ax)));
            case "mul" -> of(data.mul(scatterMul(data, idx, upd, ax)));
            default -> of(data.scatter(idx, upd, ax));
        };
    }

    /** Sum of the updates landing on each position of data, zero elsewhere (integers via fp64, exact below 2^53). */
    static NDArray scatterAdd(NDArray data, NDArray idx, NDArray upd, int ax) {
        DataType type = data.getDataType();
        DataType work = type.isFloating() ? type : DataType.FLOAT64;
        NDArray acc = data.zerosLike().toType(work, false);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            acc.setRequiresGradient(true);
            gc.backward(acc.gather(idx, ax).mul(upd.toType(work, false)).sum());
        }
        NDArray sums = acc.getGradient();
        return work == type ? sums : sums.toType(type, false);
    }

    /** Product of the updates landing on each position of data, one elsewhere. */
    static NDArray scatterMul(NDArray data, NDArray idx, NDArray upd, int ax) {
        int r = data.getShape().dimension();
        NDArray hot = idx.oneHot((int) data.getShape().get(ax)).toType(data.getDataType(), false); // [*U, d]
        NDArray factors = hot.mul(upd.expandDims(-1)).add(hot.neg().add(1)).prod(new int[] {ax});
        // [*U without axis, d] -> U's shape with the axis replaced by d, padded with ones to data's shape
        int[] perm = new int[r];
        for (int i = 0, k = 0; i < r; i++) perm[i] = i == ax ? r - 1 : k++;
        factors = factors.transpose(perm);
        long[] pads = new long[2 * r];
        for (int i = 0; i < r; i++) pads[2 * (r - 1 - i) + 1] = data.getShape().get(i) - factors.getShape().get(i);
        return factors.pad(new Shape(pads), 1);
    }

    /**
     * ONNX breaks ties by the lower index; libtorch's topk and sort promise no order among
     * equal values. So every element gets a unique int64 key, its dense value rank (from
     * unique's inverse indices) times the axis length plus its position, and the k smallest
     * keys are taken: the order is then fully determined.
     */
    private static NDList topK(OpContext c) {
        NDArray x = c.in(0);
        int r = x.getShape().dimension();
        int ax = ShapeOps.axis(c.attrs.getInt("axis", -1), r);
        long k = c.opset >= 10 ? c.longs(1)[0] : c.attrs.requireInt("k");
        long d = x.getShape().get(ax);
        NDList u = x.unique(null, true, true, false);
        NDArray rank = u.get(1).reshape(x.getShape()).toType(DataType.INT64, false);
        if (c.attrs.getInt("largest", 1) == 1) rank = rank.neg().add(u.get(0).getShape().size() - 1);
        long[] view = new long[r];
        java.util.Arrays.fill(view, 1);
        view[ax] = d;
        NDArray position = c.manager.arange(0, (int) d, 1, DataType.INT64).reshape(view);
        NDArray keys = rank.mul(d).add(position);
        NDArray idx = keys.topK((int) k, ax, false, true).get(1);
        return of(x.gather(idx, ax), idx.toType(DataType.INT64, false));
    }

    private static NDList cumSum(OpContext c) {
        NDArray x = c.in(0);
        int ax = ShapeOps.axis(c.longs(1)[0], x.getShape().dimension());
        boolean reverse = c.attrs.getInt("reverse", 0) == 1;
        NDArray y = reverse ? x.flip(ax) : x;
        NDArray sums = y.cumSum(ax);
        if (c.attrs.getInt("exclusive", 0) == 1) {
            // Shift by one along the axis, with a zero in front: exact, unlike subtracting x.
            long n = sums.getShape().get(ax);
            NDArray zero = ShapeOps.sliceAxis(sums, ax, 0, 1, 1).zerosLike();
            sums = NDArrays.concat(new NDList(zero, ShapeOps.sliceAxis(sums, ax, 0, n - 1, 1)), ax);
        }
        return of(reverse ? sums.flip(ax) : sums);
    }

    /** x at the given indices along one axis; the identity mapping is skipped. */
    static NDArray take(OpContext c, NDArray x, int ax, long[] idx) {
        boolean identity = idx.length == x.getShape().get(ax);
        for (int i = 0; identity && i < idx.length; i++) identity = idx[i] == i;
        if (identity) return x;
        long[] shape = x.getShape().getShape().clone(); // DJL hands out its own array
        shape[ax] = idx.length;
        NDArray index = along(c, HostTensor.of(idx, idx.length), ax, shape.length);
        return x.gather(index.broadcast(shape), ax);
    }

    /** A 1-D constant shaped [1, ..., n, ..., 1] with n at the axis, resident after its first use. */
    static NDArray along(OpContext c, HostTensor values, int ax, int rank) {
        long[] view = new long[rank];
        java.util.Arrays.fill(view, 1);
        view[ax] = values.numel();
        return c.constant(values).reshape(view);
    }
}
