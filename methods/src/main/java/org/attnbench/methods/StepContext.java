package org.attnbench.methods;

import java.util.Map;
import org.attnbench.tensor.HostTensor;

/**
 * What a {@link StepPlan} sees of one step of a denoising loop: where the loop stands, a way to run
 * any graph the plan declared, and the tensors it asked to keep across steps. The loop owns the
 * kept tensors, so it counts them in the cell's memory.
 */
public interface StepContext {
    /** The step, from 0. */
    int index();

    /** The step's timestep, on the scheduler's scale. */
    double timestep();

    /**
     * Runs a graph on the step's own inputs (latents, timestep, prompt states) and {@code extra}
     * named tensors; a graph takes those of them it declares. Its outputs by name.
     */
    Map<String, HostTensor> run(StepGraph graph, Map<String, HostTensor> extra);

    /** Keeps a tensor across steps under a name, replacing what that name held. */
    void keep(String name, HostTensor tensor);

    /** A tensor kept under a name, or null. */
    HostTensor kept(String name);
}
