package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Optional;

/**
 * ONNX Runtime's {@code com.microsoft.MultiHeadAttention} (3-D query [B,S,D], key [B,L,D], value
 * [B,L,Dv], optional 2-D key_padding_mask [B,L]; attributes num_heads, optional scale and
 * mask_filter_value) on libtorch's own fused kernel,
 * scaled_dot_product_attention ({@link TorchSdpa}): what a PyTorch user with SDPA runs.
 */
final class FusedAttentionOp {
    private static final int KEY_PADDING_MASK = 4;

    private FusedAttentionOp() {}

    static void addTo(OpRegistry ops) {
        ops.add("com.microsoft::MultiHeadAttention", FusedAttentionOp::run, (attrs, opset, node) -> {
            for (int i = 3; i < node.getInputCount(); i++) {
                if (i != KEY_PADDING_MASK && !node.getInput(i).isEmpty()) {
                    return Optional.of("inputs beyond query, key, value and key_padding_mask (bias, attention bias, past state)");
                }
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
        NDArray out;
        if (c.has(KEY_PADDING_MASK)) {
            // ONNX Runtime's 2-D key_padding_mask: mask_filter_value added to the scores of keys whose mask is 0
            float filter = c.attrs.getFloat("mask_filter_value", -10000f);
            NDArray keep = c.in(KEY_PADDING_MASK).toType(q.getDataType(), false);
            NDArray bias = keep.neg().add(1).mul(filter).reshape(b, 1, 1, l);
            out = TorchSdpa.attention(qh, kh, vh, bias, scale, c.manager);
        } else {
            out = TorchSdpa.attention(qh, kh, vh, scale, c.manager);
        }
        return new NDList(out.transpose(0, 2, 1, 3).reshape(b, s, dv));
    }
}
