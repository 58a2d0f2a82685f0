package org.attnbench.models.attention;

import java.util.ArrayList;
import java.util.Arrays;
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
 * The scale is folded into q (N*d multiplies instead of N*M). A {@link KeyPaddingMask} adds its bias to the
 * scores (matmul) or goes to the fused operator as its key_padding_mask.
 */
final class AttentionCore {
    private AttentionCore() {}

    static Value attend(GraphBuilder g, Value q, Value k, Value v, int heads, Kernel kernel) {
        return attend(g, q, k, v, heads, kernel, null);
    }

    /** As above, the keys of each batch entry masked by {@code keyMask} (null: none), an additive bias on their scores. */
    static Value attend(GraphBuilder g, Value q, Value k, Value v, int heads, Kernel kernel,
            KeyPaddingMask keyMask) {
        if (keyMask != null && keyMask.keys() != k.dim(1)) {
            throw new IllegalArgumentException("a mask of " + keyMask.keys() + " keys for " + k.dim(1) + " keys");
        }
        if (kernel.name().equals("fused")) {
            if (keyMask == null) {
                return g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", List.of(q, k, v),
                        Map.of("num_heads", (long) heads), 1).get(0);
            }
            // inputs: query, key, value, bias (none), key_padding_mask; a padded key's score gets mask_filter_value
            return g.op(GraphBuilder.MS_DOMAIN, "MultiHeadAttention", Arrays.asList(q, k, v, null, keyMask.int32()),
                    Map.of("num_heads", (long) heads, "mask_filter_value", KeyPaddingMask.PAD_BIAS), 1).get(0);
        }
        Value bias = keyMask == null ? null : keyMask.bias();
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
                chunks.add(scoresTimesValues(g, qc, kt, vh, bias));
            }
            out = g.op("Concat", Map.of("axis", 2L), chunks.toArray(Value[]::new));
        } else {
            out = scoresTimesValues(g, qh, kt, vh, bias);
        }
        return g.reshape(g.transpose(out, 0, 2, 1, 3), b, n, c);
    }

    private static Value scoresTimesValues(GraphBuilder g, Value q, Value kt, Value v, Value bias) {
        Value scores = g.matMul(q, kt);
        return g.matMul(g.softmax(bias == null ? scores : g.add(scores, bias), -1), v);
    }
}
