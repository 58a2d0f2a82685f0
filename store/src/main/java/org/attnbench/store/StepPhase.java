package org.attnbench.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a denoising loop that ran one graph: ToDo's timestep schedule runs its primary
 * method, then its secondary, then dense, each as its own graph, and each is timed apart.
 *
 * @param graph the patch that graph applies, as {@code TokenPatch.describe()} writes it
 * @param stepsPerImage how many of an image's steps run it
 * @param stepMs every measured step's wall time in milliseconds
 * @param medianMs median of {@code stepMs}
 * @param flopsPerStep floating-point operations of one step of it
 * @param partMs one profiled step's node times summed per part of the model (self-attention,
 *     cross-attention, feed-forward...; see {@code StepPart}), empty when it was not profiled
 * @param partFlops one step's floating-point operations per part, empty when not counted
 */
public record StepPhase(String graph, int stepsPerImage, List<Double> stepMs, double medianMs, double flopsPerStep,
        Map<String, Double> partMs, Map<String, Double> partFlops) {
    public StepPhase {
        stepMs = List.copyOf(stepMs);
        // Rows written before parts were recorded lack them.
        partMs = partMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(partMs));
        partFlops = partFlops == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(partFlops));
    }

    public StepPhase(String graph, int stepsPerImage, List<Double> stepMs, double medianMs, double flopsPerStep) {
        this(graph, stepsPerImage, stepMs, medianMs, flopsPerStep, Map.of(), Map.of());
    }

    /** A part's share of the profiled step's time, or NaN when not profiled. */
    public double timeShare(String part) {
        double total = partMs.values().stream().mapToDouble(Double::doubleValue).sum();
        return total > 0 && partMs.containsKey(part) ? partMs.get(part) / total : Double.NaN;
    }

    /** A part's share of the step's FLOPs, or NaN when not counted. */
    public double flopShare(String part) {
        double total = partFlops.values().stream().mapToDouble(Double::doubleValue).sum();
        return total > 0 && partFlops.containsKey(part) ? partFlops.get(part) / total : Double.NaN;
    }
}
