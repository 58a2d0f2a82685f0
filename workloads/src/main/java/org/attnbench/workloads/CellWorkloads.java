package org.attnbench.workloads;

import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;

/** Builds and compiles the workload of a cell. */
public final class CellWorkloads {
    private CellWorkloads() {}

    /** @param backendOptions the backend's own compile settings (a config's {@code backend_options}) */
    public static CellWorkload open(Cell cell, long seed, Map<String, String> backendOptions) {
        return open(cell, seed, backendOptions, 0, null, false);
    }

    /**
     * As {@link #open(Cell, long, Map)}, each operator on {@code threads} threads (0: the runtime's
     * default); a denoising cell samples {@code prompts} (null: seeded prompt states). {@code alone}:
     * the cell is the only one its process runs, so an attention block or a ceiling, one graph, may
     * let the runtime keep its memory between runs ({@link CompileOptions#soleGraph()}). A denoising
     * cell never does: a schedule of several graphs (ToDo's phases, DeepCache) could only keep it by
     * holding one peak per graph, and dense must run as the methods it is compared with.
     */
    public static CellWorkload open(Cell cell, long seed, Map<String, String> backendOptions, int threads,
            PromptSamples prompts, boolean alone) {
        Backend backend = Backends.byName(cell.backend());
        Backends.requireAvailable(backend, cell.device());
        CompileOptions options = new CompileOptions(cell.dtype(), threads, 0, backendOptions);
        if (cell.point() instanceof Point.Denoising u) {
            return new DenoisingWorkload(u, cell.variant(), backend, cell.device(), options, seed, prompts);
        }
        CompileOptions oneGraph = options.withSoleGraph(alone);
        if (cell.point() instanceof Point.Ceiling c) return new CeilingWorkload(c.name(), backend, cell.device(), oneGraph, seed);
        return new AttentionWorkload((Point.Attention) cell.point(), cell.variant(), backend, cell.device(), oneGraph, seed);
    }
}
