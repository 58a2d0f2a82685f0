package org.attnbench.harness;

import java.util.function.Supplier;
import org.attnbench.graph.OnnxModel;

/**
 * The UNet graphs a denoising loop runs: for a timestep (0..999 scale) and a batch size, the
 * effective patch there and how to build its graph. Timesteps whose patches describe alike share
 * one graph, so a ToDo schedule that switches method compiles each method once.
 */
@FunctionalInterface
public interface UNetGraphs {
    /** A patch description (equal descriptions mean equal graphs) and its graph, built on demand. */
    record Patched(String patch, Supplier<OnnxModel> graph) {}

    Patched at(double timestep, int batch);
}
