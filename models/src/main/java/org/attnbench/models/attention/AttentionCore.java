package org.attnbench.models.attention;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;

/**
 * Multi-head scaled dot-product attention, softmax(q k^T / sqrt(d)) v, for q [B,N,C] and
 * k, v [B,M,C], as one of three kernels:
 * <ul>
 *   <li>matmul: the whole [B,H,N,M] score matrix at once;</li>
 *   <li>matmul with slice S: queries in chunks of S, so no N x M matrix is ever whole;</li>
 *   <li>fused: ONNX Runtime's com.microsoft MultiHeadAttention operator (DJL runs it as
 *       libtorch's scaled_dot_product_attention).</li>
 * </ul>
 * The scale is folded into q (N*d multiplies instead of N*M).
 */
final class AttentionCore {
    private AttentionCore() {}

    static Value attend(GraphBuilder g, Value q, Value k, Value v, int heads, VariantSpec.Kernel kernel) {
        if (kernel.name().equals("fused")) {
            return g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", List.of(q, k, v),
                    Map.of("num_heads", (long) heads), 1).get(0);
        }
        long b = q.dim(0);
        long n = q.dim(1);
        long c = q.dim(2);
        long m = k.dim(1);
        long d = c / heads;
        Value qh = g.transpose(g.reshape(g.mul(q, g.constScalar((float) (1.0 / Math.sqrt(d)))), b, n, heads, d), 0, 2, 1, 3);
        Value kt = g.transpose(g.reshape(k, b, m, heads, d), 0, 2, 3, 1); // [B,H,d,M]
        Value vh = g.transpose(g.reshape(v, b, m, heads, d), 0, 2, 1, 3); // [B,H,M,d]
        Value out;
        if (kernel.slice() > 0 && kernel.slice() < n) {
            List<Value> chunks = new ArrayList<>();
            for (long start = 0; start < n; start += kernel.slice()) {
                long end = Math.min(n, start + kernel.slice());
                Value qc = g.op("Slice", qh, g.constLongs(start), g.constLongs(end), g.constLongs(2));
                chunks.add(scoresTimesValues(g, qc, kt, vh));
            }
            out = g.op("Concat", Map.of("axis", 2L), chunks.toArray(Value[]::new));
        } else {
            out = scoresTimesValues(g, qh, kt, vh);
        }
        return g.reshape(g.transpose(out, 0, 2, 1, 3), b, n, c);
    }

    private static Value scoresTimesValues(GraphBuilder g, Value q, Value kt, Value v) {
        return g.matMul(g.softmax(g.matMul(q, kt), -1), v);
    }
}
