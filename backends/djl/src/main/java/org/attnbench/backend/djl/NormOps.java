package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.stream.IntStream;

/** Layer, instance and (inference) batch normalization. */
final class NormOps {
    private NormOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("LayerNormalization", NormOps::layerNorm);
        ops.add("InstanceNormalization", c -> {
            NDArray x = c.in(0);
            int[] axes = IntStream.range(2, x.getShape().dimension()).toArray();
            NDArray y = standardize(x, axes, c.attrs.getFloat("epsilon", 1e-5f)).get(0);
            return of(y.mul(perChannel(c.in(1), x)).add(perChannel(c.in(2), x)));
        });
        ops.add("MeanVarianceNormalization", c -> {
            NDArray x = c.in(0);
            long[] axes = c.attrs.getInts("axes", new long[] {0, 2, 3});
            int[] dims = Arrays.stream(axes).mapToInt(a -> ShapeOps.axis(a, x.getShape().dimension())).toArray();
            long n = 1;
            for (int a : dims) n *= x.getShape().get(a);
            NDArray mean = x.sum(dims, true).div(n);
            NDArray variance = x.square().sum(dims, true).div(n).sub(mean.square());
            return of(x.sub(mean).div(variance.sqrt().add(1e-9))); // ONNX's function body: E[x^2] - E[x]^2, eps 1e-9
        });
        ops.add("LRN", NormOps::lrn);
        ops.add("BatchNormalization", c -> {
            NDArray x = c.in(0);
            NDArray inv = perChannel(c.in(4), x).add(c.attrs.getFloat("epsilon", 1e-5f)).sqrt();
            return of(x.sub(perChannel(c.in(3), x)).div(inv).mul(perChannel(c.in(1), x)).add(perChannel(c.in(2), x)));
        }, (a, opset, node) -> Checks.first(Checks.intIs(a, "training_mode", 0, 0), Checks.intIs(a, "spatial", 1, 1),
                Checks.maxOutputs(node.getOutputCount(), 1)));
    }

    /** Local response normalization across channels: the window sum of squares is a sum of shifted channel slices. */
    private static NDList lrn(OpContext c) {
        NDArray x = c.in(0);
        long size = c.attrs.requireInt("size");
        long channels = x.getShape().get(1);
        int r = x.getShape().dimension();
        long[] widths = new long[2 * r]; // torch pad pairs run from the last axis back: channels are pair r - 2
        widths[2 * (r - 2)] = (size - 1) / 2;
        widths[2 * (r - 2) + 1] = size / 2;
        NDArray squares = x.square().pad(new Shape(widths), 0);
        NDArray sum = null;
        for (long j = 0; j < size; j++) {
            NDArray window = ShapeOps.sliceAxis(squares, 1, j, j + channels, 1);
            sum = sum == null ? window : sum.add(window);
        }
        NDArray scale = sum.mul(c.attrs.getFloat("alpha", 1e-4f) / size).add(c.attrs.getFloat("bias", 1f));
        return of(x.div(scale.pow(c.attrs.getFloat("beta", 0.75f))));
    }

    /** A [C] vector shaped [C, 1, ...] to broadcast over NC... data. */
    private static NDArray perChannel(NDArray v, NDArray x) {
        long[] s = new long[x.getShape().dimension() - 1];
        Arrays.fill(s, 1);
        s[0] = v.getShape().get(0);
        return v.reshape(s);
    }

    /** [(x - mean) * invStd, mean, invStd] over the axes, with kept dimensions. */
    private static NDList standardize(NDArray x, int[] axes, float epsilon) {
        long n = 1;
        for (int a : axes) n *= x.getShape().get(a);
        NDArray mean = x.sum(axes, true).div(n);
        NDArray centered = x.sub(mean);
        NDArray std = centered.square().sum(axes, true).div(n).add(epsilon).sqrt();
        NDArray inv = std.onesLike().div(std);
        return new NDList(centered.mul(inv), mean, inv);
    }

    /**
     * libtorch's layer_norm when only Y is asked for and scale and bias have the normalized
     * shape; otherwise the explicit formula, which also yields Mean and InvStdDev. Half
     * precision inputs are normalized in fp32 (stash_type 1).
     */
    private static NDList layerNorm(OpContext c) {
        NDArray x = c.in(0);
        int r = x.getShape().dimension();
        int ax = ShapeOps.axis(c.attrs.getInt("axis", -1), r);
        float eps = c.attrs.getFloat("epsilon", 1e-5f);
        Shape normalized = x.getShape().slice(ax);
        NDArray scale = c.in(1);
        boolean fast = c.node.getOutputCount() == 1 && c.has(2) && scale.getShape().equals(normalized)
                && c.in(2).getShape().equals(normalized);
        if (fast) {
            return of(JniUtils.layerNorm((PtNDArray) x, normalized, (PtNDArray) scale, (PtNDArray) c.in(2), eps));
        }
        DataType type = x.getDataType();
        boolean half = type == DataType.FLOAT16;
        NDArray xf = half ? x.toType(DataType.FLOAT32, false) : x;
        NDList parts = standardize(xf, IntStream.range(ax, r).toArray(), eps);
        NDArray y = parts.get(0).mul(scale.toType(xf.getDataType(), false));
        if (c.has(2)) y = y.add(c.in(2).toType(xf.getDataType(), false));
        return of(half ? y.toType(type, false) : y, parts.get(1), parts.get(2));
    }
}
