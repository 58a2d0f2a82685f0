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
import org.attnbench.models.unet.UNetPatch;

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
                    () -> AttentionBlock.build(a.shape(), cell.variant(), BlockWeights.random(0, a.shape().channels()))));
        }
        Point.UNet u = (Point.UNet) cell.point();
        var w = u.workload();
        Denoiser model = w.denoiser();
        int batch = model.guidance(w.guidance()).batch();
        Scheduler scheduler = w.sampler(model, u.resolution());
        Map<UNetPatch, Integer> steps = new LinkedHashMap<>();
        for (int i = 0; i < scheduler.steps(); i++) {
            steps.merge(UNetPatch.of(cell.variant()).atTimestep(scheduler.timestep(i)), 1, Integer::sum);
        }
        List<Graph> out = new ArrayList<>();
        steps.forEach((p, n) -> out.add(new Graph(w.model() + "|" + u.resolution() + "|b" + batch + "|" + p.describe(), n,
                () -> model.build(u.resolution(), batch, p, null))));
        return out;
    }
}
