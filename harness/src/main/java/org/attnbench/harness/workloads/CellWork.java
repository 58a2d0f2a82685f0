package org.attnbench.harness.workloads;

import java.util.HashMap;
import java.util.Map;
import org.attnbench.harness.config.Cell;
import org.attnbench.harness.config.Point;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetPatch;

/**
 * The floating-point work of one image of a UNet cell, summed over its steps' graphs built with
 * shapes only (no weights made): what a sweep's ETA weighs UNet cells by, since a 2048 px cell
 * takes a hundred times as long as a 512 px one.
 */
public final class CellWork {
    private final Map<String, Double> byGraph = new HashMap<>();
    private final Map<String, Double> byCell = new HashMap<>();

    /** FLOPs of one image, or NaN for cells that are not UNet loops. */
    public double flops(Cell cell) {
        return byCell.computeIfAbsent(cell.id(), id -> count(cell));
    }

    private double count(Cell cell) {
        if (!(cell.point() instanceof Point.UNet u)) return Double.NaN;
        var w = u.workload();
        UNetConfig config = UNetConfig.load(w.model());
        int batch = w.guidance() > 1 ? 2 : 1;
        Scheduler scheduler = Scheduler.of(w.scheduler(), w.steps());
        double total = 0;
        for (int i = 0; i < scheduler.steps(); i++) {
            UNetPatch patch = UNetPatch.of(cell.variant()).atTimestep(scheduler.timestep(i));
            total += byGraph.computeIfAbsent(w.model() + "|" + u.resolution() + "|b" + batch + "|" + patch.describe(),
                    k -> GraphCost.of(UNetGraph.build(config, u.resolution(), batch, patch, null).proto()).flops());
        }
        return total;
    }
}
