package org.attnbench.store;

import java.util.List;

/**
 * The steps of a denoising loop that ran one graph: ToDo's timestep schedule runs its primary
 * method, then its secondary, then dense, each as its own graph, and each is timed apart.
 *
 * @param graph the patch that graph applies, as {@code UNetPatch.describe()} writes it
 * @param stepsPerImage how many of an image's steps run it
 * @param stepMs every measured step's wall time in milliseconds
 * @param medianMs median of {@code stepMs}
 * @param flopsPerStep floating-point operations of one step of it
 */
public record StepPhase(String graph, int stepsPerImage, List<Double> stepMs, double medianMs, double flopsPerStep) {
    public StepPhase {
        stepMs = List.copyOf(stepMs);
    }
}
