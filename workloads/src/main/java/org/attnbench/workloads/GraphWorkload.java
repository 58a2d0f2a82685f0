package org.attnbench.workloads;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.tensor.HostTensor;

/** A workload that is one compiled graph run on fixed inputs; its cost is the graph's. */
abstract class GraphWorkload implements CellWorkload {
    protected final Executable executable;
    protected final Map<String, HostTensor> inputs;
    private final GraphCost cost;

    GraphWorkload(OnnxModel model, Map<String, HostTensor> inputs, Backend backend, Device device, CompileOptions options) {
        backend.unsupported(model).ifPresent(why -> {
            throw new CellSkipped(backend.name() + " cannot run this graph: " + why);
        });
        this.cost = GraphCost.of(model.proto());
        this.inputs = Map.copyOf(inputs);
        this.executable = backend.compile(model, device, options);
    }

    @Override
    public void runOnce() {
        executable.run(inputs);
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
