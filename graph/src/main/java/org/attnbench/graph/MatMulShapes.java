package org.attnbench.graph;

import static org.attnbench.graph.OpShapes.input;
import static org.attnbench.graph.OpShapes.longAttr;
import static org.attnbench.graph.OpShapes.one;
import static org.attnbench.graph.OpShapes.optional;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.ShapeInference.OutputType;
import org.attnbench.tensor.DType;

/** Matrix products: MatMul, Gemm, and ONNX Runtime's fused MultiHeadAttention. */
final class MatMulShapes {
    private MatMulShapes() {}

    static void addTo(OpShapes.Table rules) {
        rules.add("MatMul", MatMulShapes::matMul);
        rules.add("Gemm", MatMulShapes::gemm);
        rules.add(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", MatMulShapes::multiHeadAttention);
    }

    /** numpy.matmul: 1-D operands gain and then lose a unit axis; batch axes broadcast. */
    private static List<OutputType> matMul(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "A");
        Value y = input(in, 1, "B");
        OpShapes.sameDType(x, y);
        if (x.rank() == 0 || y.rank() == 0) throw new IllegalArgumentException("MatMul of a scalar");
        long[] xs = x.rank() == 1 ? new long[] {1, x.dim(0)} : x.shape();
        long[] ys = y.rank() == 1 ? new long[] {y.dim(0), 1} : y.shape();
        long k = xs[xs.length - 1];
        if (k != ys[ys.length - 2]) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + ys[ys.length - 2]);
        }
        long[] batch = OpShapes.broadcast(Arrays.copyOf(xs, xs.length - 2), Arrays.copyOf(ys, ys.length - 2));
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = xs[xs.length - 2];
        out[batch.length + 1] = ys[ys.length - 1];
        if (y.rank() == 1) out = drop(out, out.length - 1);
        if (x.rank() == 1) out = drop(out, out.length - (y.rank() == 1 ? 1 : 2));
        return one(x.dtype(), out);
    }

    private static long[] drop(long[] s, int axis) {
        long[] out = new long[s.length - 1];
        System.arraycopy(s, 0, out, 0, axis);
        System.arraycopy(s, axis + 1, out, axis, s.length - axis - 1);
        return out;
    }

    private static List<OutputType> gemm(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value x = input(in, 0, "A");
        Value y = input(in, 1, "B");
        OpShapes.sameDType(x, y);
        if (x.rank() != 2 || y.rank() != 2) throw new IllegalArgumentException("Gemm needs 2-D A and B, got " + x + " and " + y);
        boolean ta = longAttr(a, "transA", 0) != 0;
        boolean tb = longAttr(a, "transB", 0) != 0;
        long m = x.dim(ta ? 1 : 0);
        long k = x.dim(ta ? 0 : 1);
        long kb = y.dim(tb ? 1 : 0);
        long n = y.dim(tb ? 0 : 1);
        if (k != kb) throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + kb);
        long[] out = {m, n};
        Value bias = optional(in, 2);
        if (bias != null) {
            OpShapes.sameDType(x, bias);
            OpShapes.requireUnidirectional(out, bias.shape(), "C");
        }
        return one(x.dtype(), out);
    }

    /** com.microsoft MultiHeadAttention with separate query [B,S,D], key [B,L,D] and value [B,L,Dv], optionally key_padding_mask [B,L]. */
    private static List<OutputType> multiHeadAttention(List<Value> in, Map<String, Object> a, ShapeInference.Constants c) {
        Value q = input(in, 0, "query");
        Value k = input(in, 1, "key");
        Value v = input(in, 2, "value");
        for (int i = 3; i < in.size(); i++) {
            if (in.get(i) != null && i != 4) {
                throw new IllegalArgumentException("only query, key, value and key_padding_mask inputs are supported");
            }
        }
        Value mask = in.size() > 4 ? in.get(4) : null;
        if (mask != null && (mask.dtype() != DType.INT32 || mask.rank() != 2 || mask.dim(0) != q.dim(0) || mask.dim(1) != k.dim(1))) {
            throw new IllegalArgumentException("key_padding_mask " + mask + " must be int32 [B, L] for key " + k);
        }
        OpShapes.sameDType(q, k);
        OpShapes.sameDType(q, v);
        Object heads = a.get("num_heads");
        if (heads == null) throw new IllegalArgumentException("MultiHeadAttention needs the 'num_heads' attribute");
        long h = ((Number) heads).longValue();
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) {
            throw new IllegalArgumentException("query, key and value must be 3-D");
        }
        if (q.dim(0) != k.dim(0) || k.dim(0) != v.dim(0) || k.dim(1) != v.dim(1) || q.dim(2) != k.dim(2)) {
            throw new IllegalArgumentException("query " + q + ", key " + k + " and value " + v + " do not fit [B,S,D], [B,L,D], [B,L,Dv]");
        }
        if (h <= 0 || q.dim(2) % h != 0 || v.dim(2) % h != 0) {
            throw new IllegalArgumentException("hidden sizes " + q.dim(2) + " and " + v.dim(2) + " must divide into " + h + " heads");
        }
        return one(q.dtype(), new long[] {q.dim(0), q.dim(1), v.dim(2)});
    }
}
