package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.function.BiFunction;

/** Matrix products and the softmax family. */
final class MatrixOps {
    private MatrixOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("MatMul", c -> of(c.in(0).matMul(c.in(1)))); // numpy matmul semantics, 1-D included
        ops.add("Gemm", MatrixOps::gemm);
        ops.add("Softmax", c -> softmaxLike(c, NDArray::softmax));
        ops.add("LogSoftmax", c -> softmaxLike(c, NDArray::logSoftmax));
        ops.add("Hardmax", c -> softmaxLike(c, MatrixOps::hardmax));
    }

    private static NDList gemm(OpContext c) {
        NDArray a = c.attrs.getInt("transA", 0) == 1 ? c.in(0).transpose() : c.in(0);
        NDArray b = c.attrs.getInt("transB", 0) == 1 ? c.in(1).transpose() : c.in(1);
        NDArray y = a.matMul(b);
        float alpha = c.attrs.getFloat("alpha", 1f);
        if (alpha != 1f) y = y.mul(alpha);
        if (c.has(2)) {
            float beta = c.attrs.getFloat("beta", 1f);
            y = y.add(beta == 1f ? c.in(2) : c.in(2).mul(beta));
        }
        return of(y);
    }

    /**
     * Opset 13+ normalizes along one axis (default -1); earlier opsets coerce the input to 2-D
     * at the axis (default 1) and normalize each row of that matrix.
     */
    private static NDList softmaxLike(OpContext c, BiFunction<NDArray, Integer, NDArray> f) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        if (c.opset >= 13) {
            int axis = ShapeOps.axis(c.attrs.getInt("axis", -1), rank);
            return of(f.apply(x, axis));
        }
        int axis = ShapeOps.axis(c.attrs.getInt("axis", 1), rank);
        Shape s = x.getShape();
        long rows = 1;
        for (int i = 0; i < axis; i++) rows *= s.get(i);
        return of(f.apply(x.reshape(rows, s.size() / Math.max(rows, 1)), 1).reshape(s));
    }

    /** One at the first maximum along the axis, zero elsewhere. */
    private static NDArray hardmax(NDArray x, int axis) {
        long n = x.getShape().get(axis);
        long[] view = new long[x.getShape().dimension()];
        java.util.Arrays.fill(view, 1);
        view[axis] = n;
        NDArray positions = x.getManager().arange(0, n, 1, ai.djl.ndarray.types.DataType.INT64).reshape(view);
        return positions.eq(x.argMax(axis).expandDims(axis)).toType(x.getDataType(), false);
    }
}
