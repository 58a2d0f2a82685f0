package org.attnbench.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a denoising loop that ran the same graphs, of one kind: ToDo's timestep schedule runs
 * its primary method, then its secondary, then dense, each as its own graph; a cross-step method's
 * full and partial steps run different graphs; each is timed apart.
 *
 * @param graph the graphs the steps ran, each as {@code StepGraph.describe()} writes it, joined by " + "
 * @param stepsPerImage how many of an image's steps run it
 * @param stepMs every measured step's wall time in milliseconds
 * @param medianMs median of {@code stepMs}
 * @param flopsPerStep floating-point operations of one step of it
 * @param partMs one profiled step's node times summed per part of the model (self-attention,
 *     cross-attention, feed-forward...; see {@code StepPart}), empty when it was not profiled
 * @param partFlops one step's floating-point operations per part, empty when not counted
 * @param kind {@code full}, {@code partial} (some of the model taken from an earlier step) or
 *     {@code skipped}; rows written before kinds were recorded ran full steps only
 * @param steps which steps of an image (from 0) these are; empty in rows written before
 */
public record StepPhase(String graph, int stepsPerImage, List<Double> stepMs, double medianMs, double flopsPerStep,
        Map<String, Double> partMs, Map<String, Double> partFlops, String kind, List<Integer> steps) {
    public StepPhase {
        stepMs = List.copyOf(stepMs);
        kind = kind == null ? "full" : kind;
        steps = steps == null ? List.of() : List.copyOf(steps);
        // Rows written before parts were recorded lack them.
        partMs = partMs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(partMs));
        partFlops = partFlops == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(partFlops));
    }

    public StepPhase(String graph, int stepsPerImage, List<Double> stepMs, double medianMs, double flopsPerStep) {
        this(graph, stepsPerImage, stepMs, medianMs, flopsPerStep, Map.of(), Map.of());
    }

    /** Full steps, their place in an image not recorded. */
    public StepPhase(String graph, int stepsPerImage, List<Double> stepMs, double medianMs, double flopsPerStep,
            Map<String, Double> partMs, Map<String, Double> partFlops) {
        this(graph, stepsPerImage, stepMs, medianMs, flopsPerStep, partMs, partFlops, "full", List.of());
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
