package org.attnbench.harness.workloads;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.harness.config.Point;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.tensor.HostTensor;

/**
 * The self-attention sub-block with one variant at one grid. Weights are seeded by the sweep's
 * seed, so every variant of a group has the same ones; fidelity sample s uses input seed + 1 + s
 * (Gaussian), the synthetic images from seed + 1 + s * batch (synthetic) or the photographs rotated
 * by s (photos). The timed run uses sample 0's input.
 */
final class AttentionWorkload extends GraphWorkload {
    private final Point.Attention point;
    private final long seed;

    AttentionWorkload(Point.Attention point, VariantSpec variant, Backend backend, Device device, CompileOptions options,
            long seed) {
        super(AttentionBlock.build(point.shape(), variant, BlockWeights.random(seed, point.shape().channels())),
                Map.of(AttentionBlock.INPUT, input(point, seed, 0)), backend, device, options);
        this.point = point;
        this.seed = seed;
    }

    private static HostTensor input(Point.Attention point, long seed, int s) {
        AttentionShape shape = point.shape();
        return switch (point.workload().inputs()) {
            case "photos" -> BlockInputs.fromImages(Photos.rotated(s), seed + 1, shape);
            case "synthetic" -> BlockInputs.synthetic(seed + 1 + (long) s * shape.batch(), seed + 1, shape);
            default -> BlockInputs.gaussian(seed + 1 + s, shape);
        };
    }

    @Override
    public String unit() {
        return "forward";
    }

    @Override
    public HostTensor output(int s) {
        HostTensor x = s == 0 ? inputs.get(AttentionBlock.INPUT) : input(point, seed, s);
        return executable.run(Map.of(AttentionBlock.INPUT, x)).get(AttentionBlock.OUTPUT);
    }
}
