package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * GatherND and ScatterND: each index row of length k addresses a slice of the data's first
 * k (non-batch) axes. The rows become linear positions into the data with those axes
 * flattened into one, which reduces both ops to their single-axis forms.
 */
final class NdIndexOps {
    private NdIndexOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("GatherND", NdIndexOps::gatherNd);
        ops.add("ScatterND", NdIndexOps::scatterNd,
                (a, opset, node) -> Checks.oneOf(a, "reduction", "none", "none", "add", "mul"));
    }

    /** Row-major linear position of each index row over data axes [from, from + k), negative indices wrapped. */
    private static NDArray linear(NDArray indices, long[] dataShape, int from) {
        int q = indices.getShape().dimension();
        long k = indices.getShape().get(q - 1);
        NDArray idx = indices.toType(DataType.INT64, false);
        NDArray pos = null;
        for (int i = 0; i < k; i++) {
            long d = dataShape[from + i];
            NDArray column = idx.get(new NDIndex("..., " + i)).mod(d);
            pos = pos == null ? column : pos.mul(d).add(column);
        }
        return pos;
    }

    private static NDList gatherNd(OpContext c) {
        NDArray data = c.in(0);
        NDArray indices = c.in(1);
        long[] d = data.getShape().getShape().clone();
        int b = (int) c.attrs.getInt("batch_dims", 0);
        int q = indices.getShape().dimension();
        int k = (int) indices.getShape().get(q - 1);
        NDArray pos = linear(indices, d, b);
        long block = ShapeOps.product(d, b, b + k);
        if (b > 0) {
            // Each batch entry owns its own block of positions.
            long[] view = new long[q - 1];
            Arrays.fill(view, 1);
            System.arraycopy(d, 0, view, 0, b);
            NDArray batch = c.manager.arange(0, (int) ShapeOps.product(d, 0, b), 1, DataType.INT64).reshape(view);
            pos = pos.add(batch.mul(block));
        }
        long[] flat = new long[d.length - b - k + 1];
        flat[0] = ShapeOps.product(d, 0, b) * block;
        System.arraycopy(d, b + k, flat, 1, flat.length - 1);
        return of(data.reshape(flat).get(new NDIndex("{}", pos)));
    }

    private static NDList scatterNd(OpContext c) {
        NDArray data = c.in(0);
        NDArray indices = c.in(1);
        long[] d = data.getShape().getShape().clone();
        int q = indices.getShape().dimension();
        int k = (int) indices.getShape().get(q - 1);
        long rows = ShapeOps.product(indices.getShape().getShape(), 0, q - 1);
        long[] flat = new long[d.length - k + 1];
        flat[0] = ShapeOps.product(d, 0, k);
        System.arraycopy(d, k, flat, 1, flat.length - 1);
        long[] updShape = flat.clone();
        updShape[0] = rows;
        NDArray upd = c.in(2).reshape(updShape);
        long[] view = new long[flat.length];
        Arrays.fill(view, 1);
        view[0] = rows;
        NDArray pos = linear(indices, d, 0).reshape(view).broadcast(updShape);
        NDArray target = data.reshape(flat);
        NDArray out = switch (c.attrs.getString("reduction", "none")) {
            case "add" -> target.add(IndexOps.scatterAdd(target, pos, upd, 0));
            case "mul" -> target.mul(IndexOps.scatterMul(target, pos, upd, 0));
            default -> target.scatter(pos, upd, 0);
        };
        return of(out.reshape(d));
    }
}
