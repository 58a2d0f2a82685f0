package org.attnbench.methods;

import java.util.List;
import java.util.Map;
import org.attnbench.tensor.HostTensor;

/**
 * What a denoising loop asks at every step: which compiled graphs run and which named tensors
 * carry over. A fixed schedule (ToDo's phases by timestep, DeepCache's interval) and a decision
 * computed from the step's own tensors (first-block caching's residual test: run the head, compute
 * the statistic, then run the tail or reuse the cached residual) are both plans. The loop does not
 * fix the steps before sampling; it compiles and warms every graph of {@link #graphs()} once.
 */
public interface StepPlan {
    /** What a step did: the model's prediction, the kind of step, and a note (a decision's statistic) or "". */
    record Outcome(HostTensor prediction, StepKind kind, String note) {}

    /** Full: every part of the model ran; partial: some of it was taken from an earlier step; skipped: none ran. */
    enum StepKind { FULL, PARTIAL, SKIPPED }

    /**
     * Every graph the plan may run over the loop, each with the number of steps of one image that
     * run it (exact for a fixed schedule, at most for a data-dependent one): for estimates made
     * before anything runs, and so the loop compiles and warms each once.
     */
    Map<StepGraph, Integer> graphs();

    /** Starts an image: forgets what the last one kept. */
    void begin();

    /** Runs one step through {@code step} and says what it did. */
    Outcome step(StepContext step);

    /** The graphs as a list, in the order the plan names them. */
    default List<StepGraph> graphList() {
        return List.copyOf(graphs().keySet());
    }
}
