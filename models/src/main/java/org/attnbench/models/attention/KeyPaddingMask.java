package org.attnbench.models.attention;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;

/**
 * Which keys of a cross-attention each batch entry may attend to: a [B, L] int64 mask (1 keep, 0
 * pad), as a T5 tokenizer gives it for a prompt shorter than its maximum length. It acts as
 * diffusers' PixArtTransformer2DModel turns it into an additive bias: (1 - mask) x -10000 on every
 * score of a padded key, not minus infinity (an all-pad row attends evenly, as in diffusers).
 * Each form a kernel needs is made once per graph and shared by every attention that uses the mask.
 */
public final class KeyPaddingMask {
    /** diffusers' bias on a padded key's scores, and ONNX Runtime's default mask_filter_value. */
    public static final float PAD_BIAS = -10000f;

    private final GraphBuilder g;
    private final Value mask;
    private Value bias;
    private Value int32;

    /** @param mask [B, L] int64, 1 for a key that counts, 0 for padding */
    public KeyPaddingMask(GraphBuilder g, Value mask) {
        if (mask.rank() != 2) throw new IllegalArgumentException("a key padding mask is [B, L], got " + mask);
        this.g = g;
        this.mask = mask;
    }

    /** Keys per batch entry (L). */
    public long keys() {
        return mask.dim(1);
    }

    /** (1 - mask) x -10000 as [B, 1, 1, L]: added to scores [B, H, N, L]. */
    Value bias() {
        if (bias == null) {
            try (var s = g.scope("key_mask")) {
                Value keep = g.cast(mask, DType.FLOAT32);
                Value pad = g.mul(g.sub(g.constScalar(1f), keep), g.constScalar(PAD_BIAS));
                bias = g.reshape(pad, mask.dim(0), 1, 1, mask.dim(1));
            }
        }
        return bias;
    }

    /** The mask as the int32 [B, L] key_padding_mask of ONNX Runtime's MultiHeadAttention. */
    Value int32() {
        if (int32 == null) {
            try (var s = g.scope("key_mask")) {
                int32 = g.cast(mask, DType.INT32);
            }
        }
        return int32;
    }
}
