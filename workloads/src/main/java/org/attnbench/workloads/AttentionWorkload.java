package org.attnbench.workloads;

import java.util.Map;
import java.util.function.IntFunction;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.tensor.HostTensor;

/**
 * The self-attention sub-block with one variant at one grid. In a sweep, weights are seeded by the
 * sweep's seed, so every variant of a group has the same ones; fidelity sample s uses input
 * seed + 1 + s (Gaussian), the synthetic images from seed + 1 + s * batch (synthetic) or the
 * photographs rotated by s (photos). The timed run uses sample 0's input. The {@code attention}
 * command runs the same workload on the weights and input it is given.
 */
public final class AttentionWorkload extends GraphWorkload {
    private final IntFunction<HostTensor> sampleInput;

    private AttentionWorkload(AttentionShape shape, Variant variant, Map<String, HostTensor> weights,
            IntFunction<HostTensor> sampleInput, Backend backend, Device device, CompileOptions options) {
        super(AttentionBlock.build(shape, blockMethod(variant).patch(), weights), Map.of(AttentionBlock.INPUT, sampleInput.apply(0)),
                backend, device, options);
        this.sampleInput = sampleInput;
    }

    /** The variant's token method; a cross-step method has no steps to work across here. */
    private static TokenMethod blockMethod(Variant variant) {
        if (variant.steps() != null) {
            throw new UserError("variant " + variant.canonical() + ": " + variant.steps().family() + " works across the steps of a"
                    + " denoising loop; the attention block has none (use a unet workload)");
        }
        return variant.tokens();
    }

    /** A sweep's cell: seeded weights, inputs as the workload says. */
    AttentionWorkload(Point.Attention point, Variant variant, Backend backend, Device device, CompileOptions options,
            long seed) {
        this(point.shape(), variant, BlockWeights.random(seed, point.shape().channels()), s -> input(point, seed, s),
                backend, device, options);
    }

    /** One block on the weights and input [B, N, C] given; its only sample is that input. */
    public static AttentionWorkload of(AttentionShape shape, Variant variant, Map<String, HostTensor> weights,
            HostTensor input, Backend backend, Device device) {
        return new AttentionWorkload(shape, variant, weights, s -> input, backend, device,
                CompileOptions.DEFAULT.withSoleGraph(true));
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
        HostTensor x = s == 0 ? inputs.get(AttentionBlock.INPUT) : sampleInput.apply(s);
        return executable.run(Map.of(AttentionBlock.INPUT, x)).get(AttentionBlock.OUTPUT);
    }
}
