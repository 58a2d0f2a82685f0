package org.attnbench.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Scheduler;

/**
 * The distinct graphs a cell runs, built with shapes only (no weights made), for what is known of
 * a cell before it runs: its memory ({@link CellMemory}) and its work ({@link CellWork}).
 */
final class CellGraphs {
    /**
     * @param key names the graph across cells and backends, so estimates are made once per graph
     * @param steps how many of one invocation's runs use it (a loop's steps, at most where the plan decides
     *     from the step's tensors; 1 for an attention block)
     */
    record Graph(String key, int steps, Supplier<OnnxModel> build) {}

    private CellGraphs() {}

    static List<Graph> of(Cell cell) {
        if (cell.point() instanceof Point.Attention a) {
            return List.of(new Graph(a.describe() + "|" + cell.variant().canonical(), 1,
                    () -> AttentionBlock.build(a.shape(), cell.variant().tokens().patch(), BlockWeights.random(0, a.shape().channels()))));
        }
        Point.Denoising u = (Point.Denoising) cell.point();
        var w = u.workload();
        Denoiser model = w.denoiser();
        int batch = model.guidance(w.guidance()).batch();
        Scheduler scheduler = w.sampler(model, u.resolution());
        List<Graph> out = new ArrayList<>();
        cell.variant().plan(model, scheduler.timesteps()).graphs().forEach((g, n) -> out.add(new Graph(w.model() + "|"
                + u.resolution() + "|b" + batch + "|" + g.describe(), n, () -> model.build(u.resolution(), batch, g.patch(),
                g.form(), null))));
        return out;
    }
}
