package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ONNX Runtime's {@code com.microsoft.MultiHeadAttention} (3-D query [B,S,D], key [B,L,D], value
 * [B,L,Dv], attribute num_heads, optional scale) on libtorch.
 *
 * <p>DJL exposes no fused attention kernel (libtorch's scaled_dot_product_attention is not in its
 * JNI), so this is the closest equivalent built from what it has: the scale folded into q, K
 * transposed once, and queries processed in chunks sized so that one chunk's scores for all
 * heads stay under {@link #CHUNK_BYTES}. Memory stays bounded by the chunk whatever the token
 * count, instead of a [B,H,S,L] score matrix (17 GB at a 128x128 grid), and the same few blocks
 * are reused chunk after chunk.
 */
final class FusedAttentionOp {
    /** Scores of one query chunk, all heads: large enough to keep both products efficient. */
    static final long CHUNK_BYTES = 64L << 20;

    private FusedAttentionOp() {}

    static void register() {
        OpRegistry.add("com.microsoft::MultiHeadAttention", FusedAttentionOp::run, (attrs, opset, node) -> {
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
        float scale = c.attrs.getFloat("scale", (float) (1.0 / Math.sqrt((double) d / heads)));
        NDArray qh = q.mul(scale).reshape(b, s, heads, d / heads).transpose(0, 2, 1, 3);    // [B,H,S,d]
        NDArray kt = k.reshape(b, l, heads, d / heads).transpose(0, 2, 3, 1).duplicate();   // [B,H,d,L], contiguous
        NDArray vh = v.reshape(b, l, heads, dv / heads).transpose(0, 2, 1, 3).duplicate();  // [B,H,L,dv]
        long rows = Math.max(1, Math.min(s, CHUNK_BYTES / (b * heads * l * Float.BYTES)));
        List<NDArray> chunks = new ArrayList<>();
        for (long start = 0; start < s; start += rows) {
            // Each chunk's scores are freed before the next chunk: the node's scope would only
            // free them at the end, holding the whole [B,H,S,L] matrix after all.
            try (NDArray qc = qh.get(":, :, " + start + ":" + Math.min(s, start + rows) + ", :");
                 NDArray scores = qc.matMul(kt);
                 NDArray probs = scores.softmax(-1)) {
                chunks.add(probs.matMul(vh));
            }
        }
        NDArray out = chunks.size() == 1 ? chunks.get(0) : NDArrays.concat(new NDList(chunks), 2);
        return new NDList(out.transpose(0, 2, 1, 3).reshape(b, s, dv));
    }
}
