package org.attnbench.workloads;

import java.util.List;
import java.util.Map;
import org.attnbench.store.StepPhase;
import org.attnbench.tensor.HostTensor;

/** A cell's workload, compiled and ready: one timed unit, the untimed fidelity outputs, and its cost. */
public interface CellWorkload extends AutoCloseable {
    /** What one {@link #runOnce} is: {@code forward}, {@code image} or {@code op}. */
    String unit();

    /** The timed unit of work. */
    void runOnce();

    /** The output for fidelity sample {@code s} (its own seeded input), or null when there is none to compare. */
    HostTensor output(int s);

    /** Whether {@link #output} gives decoded images [1, 3, H, W] in [-1, 1] rather than tokens or latents. */
    default boolean decodesImages() {
        return false;
    }

    /** A denoising loop's steps per graph since {@link #resetStepTimes}; empty for other workloads. */
    default List<StepPhase> phases() {
        return List.of();
    }

    /** Forgets the step times recorded so far (the warm-up's), when the measured runs begin. */
    default void resetStepTimes() {}

    /** Of a denoising loop, the floating-point operations of one image its cross-step method did not run; NaN elsewhere. */
    default double flopsSkipped() {
        return Double.NaN;
    }

    /** Of a denoising loop, the most MiB its plan kept across steps at once; NaN elsewhere. */
    default double keptMb() {
        return Double.NaN;
    }

    /** Floating-point operations of one {@link #runOnce}. */
    double flops();

    /** Minimal bytes one {@link #runOnce} moves. */
    double bytes();

    /** The settings the backend used. */
    Map<String, String> settings();

    @Override
    void close();
}
