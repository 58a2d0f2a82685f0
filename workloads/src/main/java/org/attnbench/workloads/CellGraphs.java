package org.attnbench.workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.attention.TokenPatch;

/**
 * The distinct graphs a cell runs, built with shapes only (no weights made), for what is known of
 * a cell before it runs: its memory ({@link CellMemory}) and its work ({@link CellWork}).
 */
final class CellGraphs {
    /**
     * @param key names the graph across cells and backends, so estimates are made once per graph
     * @param steps how many of one invocation's runs use it (a loop's steps; 1 for an attention block)
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
        Scheduler scheduler = model.scheduler(w.scheduler(), w.steps(), u.resolution());
        Map<String, TokenPatch> patches = new LinkedHashMap<>();
        Map<String, Integer> steps = new LinkedHashMap<>();
        for (int i = 0; i < scheduler.steps(); i++) {
            TokenPatch p = cell.variant().tokens().patchAt(scheduler.timestep(i));
            patches.putIfAbsent(p.describe(), p);
            steps.merge(p.describe(), 1, Integer::sum);
        }
        List<Graph> out = new ArrayList<>();
        patches.forEach((d, p) -> out.add(new Graph(w.model() + "|" + u.resolution() + "|b" + batch + "|" + d, steps.get(d),
                () -> model.build(u.resolution(), batch, p, null))));
        return out;
    }
}
