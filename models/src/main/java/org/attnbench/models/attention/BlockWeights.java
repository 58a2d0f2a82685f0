package org.attnbench.models.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.reference.AttentionWeights;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Weights of the self-attention sub-block under their diffusers names, PyTorch Linear layout
 * [out, in]. Seeded random weights come from {@link AttentionWeights#random}, the same draw the
 * float64 reference uses, rounded to float32.
 */
public final class BlockWeights {
    /** The diffusers names of the sub-block's tensors. */
    public static final List<String> NAMES = List.of(AttentionWeights.NORM_WEIGHT, AttentionWeights.NORM_BIAS,
            AttentionWeights.TO_Q, AttentionWeights.TO_K, AttentionWeights.TO_V, AttentionWeights.TO_OUT,
            AttentionWeights.TO_OUT_BIAS);

    private BlockWeights() {}

    public static Map<String, HostTensor> random(long seed, int channels) {
        Map<String, HostTensor> w = new LinkedHashMap<>();
        AttentionWeights.random(seed, channels).named().forEach((name, values) -> {
            w.put(name, HostTensor.of(values, shapeOf(name, channels)).toDType(DType.FLOAT32));
        });
        return w;
    }

    /** Checks that every tensor is present with the right shape; extra tensors are ignored. */
    public static void validate(Map<String, HostTensor> weights, int channels) {
        for (String name : NAMES) {
            HostTensor t = weights.get(name);
            if (t == null) throw new UserError("weights lack tensor '" + name + "'");
            long[] want = shapeOf(name, channels);
            if (!java.util.Arrays.equals(t.shape(), want)) {
                throw new UserError("weight '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                        + ", expected " + java.util.Arrays.toString(want));
            }
            if (!t.dtype().isFloatingPoint()) throw new UserError("weight '" + name + "' is " + t.dtype() + ", expected a float type");
        }
    }

    /** Projection matrices are [C, C]; the norm and bias vectors [C]. */
    static long[] shapeOf(String name, int channels) {
        return name.startsWith("attn1") && name.endsWith("weight") ? new long[] {channels, channels} : new long[] {channels};
    }

    /** The weights as float32, whatever they were stored in. */
    public static Map<String, HostTensor> asFloat32(Map<String, HostTensor> weights) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : NAMES) out.put(name, weights.get(name).toDType(DType.FLOAT32));
        return out;
    }
}
