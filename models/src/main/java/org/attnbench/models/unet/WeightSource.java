package org.attnbench.models.unet;

import java.util.Optional;
import java.util.Set;
import org.attnbench.tensor.HostTensor;

/**
 * Where a UNet's weights come from, by their diffusers names. The builder asks for every weight
 * with the shape it expects ({@link #tensor(String, long[])}), so a source that makes weights up
 * ({@link RandomWeights}) can, and a source that reads them ({@link SafetensorsWeights}) is checked
 * against it.
 */
public interface WeightSource extends AutoCloseable {
    /** A diffusers checkpoint at {@code path} (file, shard index or folder), or seeded random weights when null. */
    static WeightSource open(java.nio.file.Path path, long seed) {
        return path == null ? new RandomWeights(seed) : SafetensorsWeights.open(path);
    }

    /** The stored tensor of that name, in whatever float dtype it was stored. */
    Optional<HostTensor> tensor(String name);

    /** The tensor the builder needs, of the given shape; by default the stored one. */
    default Optional<HostTensor> tensor(String name, long[] shape) {
        return tensor(name);
    }

    /** Every stored name (empty for sources that make weights up). */
    Set<String> names();

    /** One line for logs and reports: where the weights are from. */
    String describe();

    /** Releases mapped files; nothing for sources that hold no files. */
    @Override
    default void close() {}
}
