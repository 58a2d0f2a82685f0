package org.attnbench.harness.workloads;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.harness.config.Point;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.tensor.HostTensor;

/**
 * The self-attention sub-block with one variant at one grid. Weights are seeded by the sweep's
 * seed, so every variant of a group has the same ones; fidelity sample s uses input seed + 1 + s
 * (Gaussian) or the photographs rotated by s (photos). The timed run uses sample 0's input.
 */
final class AttentionWorkload implements CellWorkload {
    private final Point.Attention point;
    private final long seed;
    private final Executable executable;
    private final HostTensor input;
    private final GraphCost cost;

    AttentionWorkload(Point.Attention point, VariantSpec variant, Backend backend, Device device, CompileOptions options,
            long seed) {
        this.point = point;
        this.seed = seed;
        AttentionShape shape = point.shape();
        OnnxModel model = AttentionBlock.build(shape, variant, BlockWeights.random(seed, shape.channels()));
        backend.unsupported(model).ifPresent(why -> {
            throw new CellSkipped(backend.name() + " cannot run this graph: " + why);
        });
        this.cost = GraphCost.of(model.proto());
        this.input = input(0);
        this.executable = backend.compile(model, device, options);
    }

    private HostTensor input(int s) {
        AttentionShape shape = point.shape();
        return point.workload().inputs().equals("photos") ? BlockInputs.fromImages(Photos.rotated(s), seed + 1, shape)
                : BlockInputs.gaussian(seed + 1 + s, shape);
    }

    @Override
    public String unit() {
        return "forward";
    }

    @Override
    public void runOnce() {
        executable.run(Map.of(AttentionBlock.INPUT, input));
    }

    @Override
    public HostTensor output(int s) {
        HostTensor x = s == 0 ? input : input(s);
        return executable.run(Map.of(AttentionBlock.INPUT, x)).get(AttentionBlock.OUTPUT);
    }

    @Override
    public double flops() {
        return cost.flops();
    }

    @Override
    public double bytes() {
        return cost.minimalBytes();
    }

    @Override
    public Map<String, String> settings() {
        return executable.settings();
    }

    @Override
    public void close() {
        executable.close();
    }
}
