package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * ConvTranspose as the convolution it is the gradient of: DJL exposes no transposed
 * convolution, so the input gets stride - 1 zeros between neighbours and (k - 1) * d - pad
 * cells of zeros around (plus output_padding at the end), and is convolved with stride 1 by
 * the spatially flipped kernel with input and output channels swapped per group.
 * output_shape and auto_pad, which derive the pads from a target size, are not implemented.
 */
final class ConvTransposeOp {
    private ConvTransposeOp() {}

    static void addTo(OpRegistry ops) {
        ops.add("ConvTranspose", ConvTransposeOp::run, (a, opset, node) -> Checks.first(
                Checks.absent(a, "output_shape"), Checks.oneOf(a, "auto_pad", "NOTSET", "NOTSET")));
    }

    private static NDList run(OpContext c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        int n = x.getShape().dimension() - 2;
        long[] kernel = Arrays.copyOfRange(w.getShape().getShape(), 2, 2 + n);
        long[] strides = ConvPoolOps.ints(c.attrs, "strides", n, 1);
        long[] dilations = ConvPoolOps.ints(c.attrs, "dilations", n, 1);
        long[] pads = c.attrs.getInts("pads", new long[2 * n]);
        long[] outputPadding = ConvPoolOps.ints(c.attrs, "output_padding", n, 0);
        int groups = (int) c.attrs.getInt("group", 1);
        for (int i = 0; i < n; i++) x = spread(x, 2 + i, strides[i]);
        long[] full = new long[2 * n];
        for (int i = 0; i < n; i++) {
            long reach = (kernel[i] - 1) * dilations[i];
            full[i] = reach - pads[i];
            full[i + n] = reach - pads[i + n] + outputPadding[i];
        }
        x = ConvPoolOps.padSpatial(x, full, 0); // negative widths crop
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        return of(JniUtils.convolution((PtNDArray) x, (PtNDArray) forwardKernel(w, groups),
                c.has(2) ? (PtNDArray) c.in(2) : null, new Shape(ones), new Shape(new long[n]),
                new Shape(dilations), groups));
    }

    /** stride - 1 zeros between neighbours along one axis. */
    private static NDArray spread(NDArray x, int ax, long stride) {
        if (stride == 1) return x;
        long[] s = x.getShape().getShape().clone();
        long in = s[ax];
        NDArray column = x.expandDims(ax + 1);
        long[] gap = column.getShape().getShape().clone();
        gap[ax + 1] = stride - 1;
        NDArray interleaved = NDArrays.concat(new NDList(column, x.getManager().zeros(new Shape(gap), x.getDataType())), ax + 1);
        s[ax] = in * stride;
        return ShapeOps.sliceAxis(interleaved.reshape(s), ax, 0, (in - 1) * stride + 1, 1);
    }

    /** [C, M/g, k...] -> [M, C/g, k...], spatially flipped. */
    private static NDArray forwardKernel(NDArray w, int groups) {
        long[] s = w.getShape().getShape();
        int r = s.length;
        NDArray flipped = w.flip(IntStream.range(2, r).toArray());
        long[] grouped = new long[r + 1];
        grouped[0] = groups;
        grouped[1] = s[0] / groups;
        System.arraycopy(s, 1, grouped, 2, r - 1);
        int[] swap = IntStream.range(0, r + 1).toArray();
        swap[1] = 2;
        swap[2] = 1;
        long[] out = s.clone();
        out[0] = s[1] * groups;
        out[1] = s[0] / groups;
        return flipped.reshape(grouped).transpose(swap).reshape(out);
    }
}
