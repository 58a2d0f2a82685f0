package org.attnbench.models.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnbench.core.UserError;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Weights of the self-attention sub-block under their diffusers names, PyTorch Linear layout
 * [out, in]. Seeded random weights: projections N(0, 1/fan_in), norm scale 1 + 0.1 N(0,1),
 * biases 0.02 N(0,1), so activations keep unit scale.
 */
public final class BlockWeights {
    public static final String NORM_WEIGHT = "norm1.weight";
    public static final String NORM_BIAS = "norm1.bias";
    public static final String TO_Q = "attn1.to_q.weight";
    public static final String TO_K = "attn1.to_k.weight";
    public static final String TO_V = "attn1.to_v.weight";
    public static final String TO_OUT = "attn1.to_out.0.weight";
    public static final String TO_OUT_BIAS = "attn1.to_out.0.bias";
    public static final List<String> NAMES = List.of(NORM_WEIGHT, NORM_BIAS, TO_Q, TO_K, TO_V, TO_OUT, TO_OUT_BIAS);

    private BlockWeights() {}

    public static Map<String, HostTensor> random(long seed, int channels) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, HostTensor> w = new LinkedHashMap<>();
        w.put(NORM_WEIGHT, vector(rnd, channels, 1.0, 0.1));
        w.put(NORM_BIAS, vector(rnd, channels, 0.0, 0.02));
        for (String name : List.of(TO_Q, TO_K, TO_V, TO_OUT)) w.put(name, matrix(rnd, channels));
        w.put(TO_OUT_BIAS, vector(rnd, channels, 0.0, 0.02));
        return w;
    }

    /** Checks that every tensor is present with the right shape; extra tensors are ignored. */
    public static void validate(Map<String, HostTensor> weights, int channels) {
        for (String name : NAMES) {
            HostTensor t = weights.get(name);
            if (t == null) throw new UserError("weights lack tensor '" + name + "'");
            long[] want = name.endsWith("weight") && name.startsWith("attn1")
                    ? new long[] {channels, channels} : new long[] {channels};
            if (!java.util.Arrays.equals(t.shape(), want)) {
                throw new UserError("weight '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                        + ", expected " + java.util.Arrays.toString(want));
            }
            if (!t.dtype().isFloatingPoint()) throw new UserError("weight '" + name + "' is " + t.dtype() + ", expected a float type");
        }
    }

    /** The weights as float32, whatever they were stored in. */
    public static Map<String, HostTensor> asFloat32(Map<String, HostTensor> weights) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : NAMES) out.put(name, weights.get(name).toDType(DType.FLOAT32));
        return out;
    }

    private static HostTensor vector(SplittableRandom rnd, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * gaussian(rnd));
        return HostTensor.of(v, n);
    }

    private static HostTensor matrix(SplittableRandom rnd, int n) {
        float[] v = new float[n * n];
        double std = 1.0 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) v[i] = (float) (std * gaussian(rnd));
        return HostTensor.of(v, n, n);
    }

    /** Box-Muller; SplittableRandom has no nextGaussian in Java 17. */
    static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
