package org.attnbench.models.unet;

import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.attnbench.tensor.HostTensor;

/**
 * Seeded random weights that keep activations finite and O(1) through the whole network, for
 * timing (which does not depend on weight values) and tests. Each tensor's stream is seeded from
 * the seed and its name, so a weight does not change when others are added.
 *
 * <p>The scheme: conv and linear weights are N(0, 1/fan_in) (unit gain, so a layer roughly keeps
 * the variance of its input); the layers that write into a residual stream (each resnet's
 * {@code conv2}, each attention's {@code to_out.0}, each feed-forward's {@code net.2}, each
 * transformer's {@code proj_out}) get a further gain of 0.1, so hundreds of residual additions
 * grow the stream only slightly; norm weights are 1 and all biases 0.
 */
public final class RandomWeights implements WeightSource {
    static final double RESIDUAL_GAIN = 0.1;
    private final long seed;

    public RandomWeights(long seed) {
        this.seed = seed;
    }

    @Override
    public Optional<HostTensor> tensor(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<HostTensor> tensor(String name, long[] shape) {
        return Optional.of(create(name, shape));
    }

    /** The weight {@code name} of {@code shape}, float32. */
    public HostTensor create(String name, long[] shape) {
        int n = Math.toIntExact(HostTensor.numel(shape));
        float[] v = new float[n];
        if (name.endsWith(".bias")) return HostTensor.of(v, shape);
        if (shape.length == 1) {
            java.util.Arrays.fill(v, 1f); // norm scale
            return HostTensor.of(v, shape);
        }
        long fanIn = HostTensor.numel(shape) / shape[0];
        double std = Math.sqrt(1.0 / fanIn) * (writesResidual(name) ? RESIDUAL_GAIN : 1.0);
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        for (int i = 0; i < n; i++) v[i] = (float) (gaussian(rng) * std);
        return HostTensor.of(v, shape);
    }

    private static boolean writesResidual(String name) {
        return name.endsWith("conv2.weight") || name.endsWith("to_out.0.weight") || name.endsWith("ff.net.2.weight")
                || name.endsWith("proj_out.weight");
    }

    /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Override
    public Set<String> names() {
        return Set.of();
    }

    @Override
    public String describe() {
        return "random weights (seed " + seed + ")";
    }
}
