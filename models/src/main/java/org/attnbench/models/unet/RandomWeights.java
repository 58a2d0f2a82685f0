package org.attnbench.models.unet;

import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Seeded random weights that keep activations finite and O(1) through the whole network, for
 * timing (which does not depend on weight values) and tests. Each tensor's stream is seeded from
 * the seed and its name, so a weight does not change when others are added.
 *
 * <p>The scheme: conv and linear weights are uniform with variance 1/fan_in (unit gain, so a layer
 * roughly keeps the variance of its input); the layers that write into a residual stream (each
 * resnet's {@code conv2}, each attention's {@code to_out.0}, each feed-forward's {@code net.2}, each
 * transformer's {@code proj_out}) get a further gain of 0.1, so hundreds of residual additions grow
 * the stream only slightly; norm weights are 1 and all biases 0. Uniform rather than Gaussian
 * draws, in parallel chunks, because SDXL needs 2.6 billion of them.
 */
public final class RandomWeights implements WeightSource {
    static final double RESIDUAL_GAIN = 0.1;
    /** Values drawn per random stream: the draw does not depend on the thread count. */
    private static final int CHUNK = 1 << 20;
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
        HostTensor t = HostTensor.allocate(DType.FLOAT32, shape);
        FloatBuffer out = t.mutableData().asFloatBuffer();
        if (name.endsWith(".bias")) return t;
        if (shape.length == 1) { // a norm's scale
            while (out.hasRemaining()) out.put(1f);
            return t;
        }
        long fanIn = HostTensor.numel(shape) / shape[0];
        float bound = (float) (Math.sqrt(3.0 / fanIn) * (writesResidual(name) ? RESIDUAL_GAIN : 1.0));
        long streamSeed = seed * 0x9E3779B97F4A7C15L ^ name.hashCode();
        int n = out.capacity();
        IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel().forEach(chunk -> {
            SplittableRandom rng = new SplittableRandom(streamSeed + chunk);
            for (int i = chunk * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                out.put(i, (float) (rng.nextDouble(-1, 1) * bound));
            }
        });
        return t;
    }

    private static boolean writesResidual(String name) {
        return name.endsWith("conv2.weight") || name.endsWith("to_out.0.weight") || name.endsWith("ff.net.2.weight")
                || name.endsWith("proj_out.weight");
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
