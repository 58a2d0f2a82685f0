package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/** Ops built from positional masks (row and column numbers, one-hot positions) and NonZero. */
final class MaskOps {
    private MaskOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("Trilu", c -> {
            NDArray x = c.in(0);
            long k = c.has(1) ? c.longs(1)[0] : 0;
            int r = x.getShape().dimension();
            NDArray offset = diagonalOffset(c.manager, x.getShape().get(r - 2), x.getShape().get(r - 1));
            NDArray keep = c.attrs.getInt("upper", 1) == 1 ? offset.gte(k) : offset.lte(k);
            return of(ElementwiseOps.where(keep, x, x.zerosLike()));
        });
        ops.add("EyeLike", c -> {
            NDArray x = c.in(0);
            DataType type = c.attrs.has("dtype")
                    ? ElementwiseOps.onnxType((int) c.attrs.getInt("dtype", 1)) : x.getDataType();
            NDArray offset = diagonalOffset(c.manager, x.getShape().get(0), x.getShape().get(1));
            return of(offset.eq(c.attrs.getInt("k", 0)).toType(type, false));
        }, (a, opset, node) -> a.has("dtype") ? Checks.dtype((int) a.getInt("dtype", 1), "dtype") : java.util.Optional.empty());
        ops.add("OneHot", MaskOps::oneHot);
        // libtorch lists one row per element, ONNX one row per axis.
        ops.add("NonZero", c -> of(c.in(0).nonzero().transpose().toType(DataType.INT64, false)));
    }

    /** column - row for an n x m matrix. */
    private static NDArray diagonalOffset(NDManager m, long n, long mCols) {
        NDArray rows = m.arange(0, (int) n, 1, DataType.INT64).reshape(n, 1);
        NDArray cols = m.arange(0, (int) mCols, 1, DataType.INT64).reshape(1, mCols);
        return cols.sub(rows);
    }

    /** Indices (of any numeric type, truncated; negative counted from depth) against positions 0..depth-1. */
    private static ai.djl.ndarray.NDList oneHot(OpContext c) {
        NDArray idx = c.in(0).toType(DataType.INT64, false);
        long depth = (long) c.doubles(1)[0];
        NDArray values = c.in(2);
        int r = idx.getShape().dimension() + 1;
        int ax = ShapeOps.axis(c.attrs.getInt("axis", -1), r);
        idx = ElementwiseOps.where(idx.lt(0), idx.add(depth), idx).expandDims(ax);
        long[] view = new long[r];
        Arrays.fill(view, 1);
        view[ax] = depth;
        NDArray positions = c.manager.arange(0, (int) depth, 1, DataType.INT64).reshape(view);
        NDArray off = values.get(0);
        NDArray on = values.get(1);
        return of(ElementwiseOps.where(positions.eq(idx), on, off));
    }
}
