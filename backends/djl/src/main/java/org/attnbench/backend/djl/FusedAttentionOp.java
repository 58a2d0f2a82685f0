package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Optional;

/**
 * ONNX Runtime's {@code com.microsoft.MultiHeadAttention} (3-D query [B,S,D], key [B,L,D], value
 * [B,L,Dv], attribute num_heads, optional scale) on libtorch's own fused kernel,
 * scaled_dot_product_attention ({@link TorchSdpa}): what a PyTorch user with SDPA runs.
 */
final class FusedAttentionOp {
    private FusedAttentionOp() {}

    static void addTo(OpRegistry ops) {
        ops.add("com.microsoft::MultiHeadAttention", FusedAttentionOp::run, (attrs, opset, node) -> {
            if (node.getInputCount() > 3 && node.getInputList().subList(3, node.getInputCount()).stream().anyMatch(s -> !s.isEmpty())) {
                return Optional.of("inputs beyond query, key and value (bias, masks, past state)");
            }
            if (attrs.getInt("unidirectional", 0) != 0) return Optional.of("unidirectional=1");
            return Optional.empty();
        });
    }

    static NDList run(OpContext c) {
        NDArray q = c.in(0);
        NDArray k = c.in(1);
        NDArray v = c.in(2);
        int heads = (int) c.attrs.requireInt("num_heads");
        long b = q.getShape().get(0);
        long s = q.getShape().get(1);
        long d = q.getShape().get(2);
        long l = k.getShape().get(1);
        long dv = v.getShape().get(2);
        double scale = c.attrs.getFloat("scale", (float) (1.0 / Math.sqrt((double) d / heads)));
        NDArray qh = q.reshape(b, s, heads, d / heads).transpose(0, 2, 1, 3);    // [B,H,S,d]
        NDArray kh = k.reshape(b, l, heads, d / heads).transpose(0, 2, 1, 3);    // [B,H,L,d]
        NDArray vh = v.reshape(b, l, heads, dv / heads).transpose(0, 2, 1, 3);   // [B,H,L,dv]
        NDArray out = TorchSdpa.attention(qh, kh, vh, scale, c.manager);
        return new NDList(out.transpose(0, 2, 1, 3).reshape(b, s, dv));
    }
}
