package org.attnbench.backend.djl;

import static org.attnbench.backend.djl.OpContext.of;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.attnbench.core.UserError;
import org.attnbench.graph.OpShapes;
import org.attnbench.tensor.HostTensor;

/** Ops that move, select or create data by shape: reshape, transpose, concat, split, slice, expand... */
final class ShapeOps {
    private ShapeOps() {}

    static void addTo(OpRegistry ops) {
        ops.add("Reshape", ShapeOps::reshape);
        ops.add("Transpose", c -> {
            int r = c.rank(0);
            long[] perm = c.attrs.getInts("perm", null);
            int[] p = new int[r];
            for (int i = 0; i < r; i++) p[i] = perm == null ? r - 1 - i : axis(perm[i], r);
            return of(c.in(0).transpose(p));
        });
        ops.add("Concat", c -> {
            NDList parts = new NDList();
            for (int i = 0; i < c.inputCount(); i++) if (c.has(i)) parts.add(c.in(i));
            return of(NDArrays.concat(parts, axis(c.attrs.requireInt("axis"), c.rank(0))));
        });
        ops.add("Split", ShapeOps::split, (a, opset, node) -> Checks.absent(a, "num_outputs"));
        ops.add("Slice", ShapeOps::slice);
        ops.add("Unsqueeze", ShapeOps::unsqueeze);
        ops.add("Squeeze", ShapeOps::squeeze);
        ops.add("Flatten", c -> {
            long[] s = c.in(0).getShape().getShape();
            long a = c.attrs.getInt("axis", 1);
            int ax = (int) (a < 0 ? a + s.length : a); // 0..rank inclusive
            return of(c.in(0).reshape(product(s, 0, ax), product(s, ax, s.length)));
        });
        ops.add("Expand", c -> of(c.in(0).broadcast(new Shape(broadcast(c.in(0).getShape().getShape(), c.longs(1))))));
        ops.add("Tile", c -> of(c.in(0).tile(c.longs(1))));
        ops.add("Shape", c -> {
            long[] s = c.in(0).getShape().getShape();
            int start = clampedAxis(c.attrs.getInt("start", 0), s.length);
            int end = Math.max(start, clampedAxis(c.attrs.getInt("end", s.length), s.length));
            return of(c.manager.create(Arrays.copyOfRange(s, start, end)));
        });
        ops.add("Size", c -> of(c.manager.create(c.in(0).getShape().size())));
        ops.add("ConstantOfShape", c -> {
            HostTensor value = c.attrs.getTensor("value").orElse(HostTensor.of(new float[] {0f}, 1));
            NDArray scalar = Tensors.toNd(c.manager, value).reshape(new Shape());
            return of(scalar.toType(c.computeType(scalar.getDataType()), false).broadcast(new Shape(c.longs(0))).duplicate());
        }, (a, opset, node) -> a.find("value").map(v -> Checks.dtype(v.getT().getDataType(), "value")).orElse(Optional.empty()));
        ops.add("Range", ShapeOps::range);
        ops.add("DepthToSpace", c -> {
            NDArray x = c.in(0);
            long[] s = x.getShape().getShape();
            long b = c.attrs.requireInt("blocksize");
            boolean crd = c.attrs.getString("mode", "DCR").equals("CRD");
            NDArray blocks = crd ? x.reshape(s[0], s[1] / (b * b), b, b, s[2], s[3]).transpose(0, 1, 4, 2, 5, 3)
                    : x.reshape(s[0], b, b, s[1] / (b * b), s[2], s[3]).transpose(0, 3, 4, 1, 5, 2);
            return of(blocks.reshape(s[0], s[1] / (b * b), s[2] * b, s[3] * b));
        }, (a, opset, node) -> Checks.oneOf(a, "mode", "DCR", "DCR", "CRD"));
        ops.add("SpaceToDepth", c -> {
            NDArray x = c.in(0);
            long[] s = x.getShape().getShape();
            long b = c.attrs.requireInt("blocksize");
            return of(x.reshape(s[0], s[1], s[2] / b, b, s[3] / b, b).transpose(0, 3, 5, 1, 2, 4)
                    .reshape(s[0], s[1] * b * b, s[2] / b, s[3] / b));
        });
        ops.add("Pad", ShapeOps::pad, (a, opset, node) -> Checks.oneOf(a, "mode", "constant", "constant", "edge", "reflect"));
        ops.add("Constant", c -> of(Tensors.toNd(c.manager, ConstantValue.of(c.node))), ConstantValue::check);
    }

    /** A possibly negative ONNX axis as an index in [0, rank). */
    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) throw new UserError("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    private static int clampedAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return (int) Math.max(0, Math.min(rank, a));
    }

    static long product(long[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }

    /** Numpy broadcasting of two shapes: the graph's own rule, its refusal as the user's error. */
    static long[] broadcast(long[] a, long[] b) {
        try {
            return OpShapes.broadcast(a, b);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static NDList reshape(OpContext c) {
        long[] in = c.in(0).getShape().getShape();
        long[] target = c.longs(1).clone();
        boolean allowZero = c.attrs.getInt("allowzero", 0) == 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) target[i] = in[i];
        }
        return of(c.in(0).reshape(target)); // libtorch infers a single -1 as ONNX does
    }

    /** Axes from the attribute (older opsets) or from input {@code index} (opset 13+); null when absent. */
    static long[] axesOf(OpContext c, int index) {
        if (c.has(index)) return c.longs(index);
        return c.attrs.getInts("axes", null);
    }

    private static NDList unsqueeze(OpContext c) {
        long[] in = c.in(0).getShape().getShape();
        long[] axes = axesOf(c, 1);
        int r = in.length + axes.length;
        boolean[] inserted = new boolean[r];
        for (long a : axes) inserted[axis(a, r)] = true;
        long[] out = new long[r];
        for (int i = 0, k = 0; i < r; i++) out[i] = inserted[i] ? 1 : in[k++];
        return of(c.in(0).reshape(out));
    }

    private static NDList squeeze(OpContext c) {
        long[] in = c.in(0).getShape().getShape();
        long[] axes = axesOf(c, 1);
        boolean[] drop = new boolean[in.length];
        for (int i = 0; i < in.length; i++) drop[i] = axes == null && in[i] == 1;
        if (axes != null) for (long a : axes) drop[axis(a, in.length)] = true;
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) if (!drop[i]) out.add(in[i]);
        return of(c.in(0).reshape(out.stream().mapToLong(Long::longValue).toArray()));
    }

    private static NDList split(OpContext c) {
        NDArray x = c.in(0);
        int ax = axis(c.attrs.getInt("axis", 0), x.getShape().dimension());
        long dim = x.getShape().get(ax);
        int n = c.node.getOutputCount();
        long[] sizes = c.has(1) ? c.longs(1) : c.attrs.getInts("split", null);
        if (sizes == null) {
            sizes = new long[n];
            Arrays.fill(sizes, dim / n);
        }
        NDList out = new NDList();
        long start = 0;
        for (long size : sizes) {
            out.add(sliceAxis(x, ax, start, start + size, 1));
            start += size;
        }
        return out;
    }

    /** Elements start, start+step, ... before end along one axis, with 0 <= start, end <= dim and step > 0. */
    static NDArray sliceAxis(NDArray x, int ax, long start, long end, long step) {
        if (end <= start) {
            long[] s = x.getShape().getShape().clone(); // DJL hands out its own array
            s[ax] = 0;
            return x.getManager().create(new Shape(s), x.getDataType());
        }
        return x.get(new NDIndex().addAllDim(ax).addSliceDim(start, end, step));
    }

    /** Opset 10+ reads starts, ends, axes and steps from inputs; opset 1 from attributes. */
    private static NDList slice(OpContext c) {
        NDArray x = c.in(0);
        long[] shape = x.getShape().getShape();
        long[] starts = c.opset >= 10 ? c.longs(1) : c.attrs.getInts("starts", null);
        long[] ends = c.opset >= 10 ? c.longs(2) : c.attrs.getInts("ends", null);
        long[] axes = c.opset >= 10 ? (c.has(3) ? c.longs(3) : null) : c.attrs.getInts("axes", null);
        long[] steps = c.has(4) ? c.longs(4) : null;
        NDArray y = x;
        for (int i = 0; i < starts.length; i++) {
            int ax = axis(axes == null ? i : axes[i], shape.length);
            long d = shape[ax];
            long step = steps == null ? 1 : steps[i];
            long start = starts[i] < 0 ? starts[i] + d : starts[i];
            long end = ends[i] < 0 ? ends[i] + d : ends[i];
            if (step > 0) {
                y = sliceAxis(y, ax, clamp(start, 0, d), clamp(end, 0, d), step);
            } else {
                // libtorch has no negative steps: flip, then walk forward from the mirrored start.
                start = clamp(start, 0, d - 1);
                end = clamp(end, -1, d - 1);
                y = sliceAxis(y.flip(ax), ax, d - 1 - start, d - 1 - end, -step);
            }
        }
        return of(y);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * Opset 11+ reads pads and the constant from inputs, opset 2 from attributes. Constant
     * padding is libtorch's; edge and reflect gather each axis at computed source indices.
     */
    private static NDList pad(OpContext c) {
        NDArray x = c.in(0);
        long[] shape = x.getShape().getShape();
        int r = shape.length;
        long[] pads = c.opset >= 11 ? c.longs(1) : c.attrs.getInts("pads", null);
        String mode = c.attrs.getString("mode", "constant");
        if (mode.equals("constant")) {
            double value = c.opset >= 11 ? (c.has(2) ? c.doubles(2)[0] : 0) : c.attrs.getFloat("value", 0f);
            long[] w = new long[2 * r];
            for (int i = 0; i < r; i++) {
                w[2 * (r - 1 - i)] = pads[i];
                w[2 * (r - 1 - i) + 1] = pads[i + r];
            }
            return of(x.pad(new Shape(w), value));
        }
        NDArray y = x;
        for (int ax = 0; ax < r; ax++) {
            long d = shape[ax];
            long begin = pads[ax];
            long[] idx = new long[(int) (d + begin + pads[ax + r])];
            for (int j = 0; j < idx.length; j++) {
                long src = j - begin;
                if (mode.equals("edge")) idx[j] = clamp(src, 0, d - 1);
                else idx[j] = src < 0 ? -src : src >= d ? 2 * (d - 1) - src : src;
            }
            y = IndexOps.take(c, y, ax, idx);
        }
        return of(y);
    }

    private static NDList range(OpContext c) {
        double start = c.doubles(0)[0];
        double limit = c.doubles(1)[0];
        double delta = c.doubles(2)[0];
        long n = Math.max((long) Math.ceil((limit - start) / delta), 0);
        DataType type = c.in(0).getDataType();
        NDArray steps = c.manager.arange(0, n, 1, DataType.INT64);
        if (type.isFloating()) return of(steps.toType(DataType.FLOAT64, false).mul(delta).add(start).toType(type, false));
        return of(steps.mul((long) delta).add((long) start).toType(type, false));
    }
}
