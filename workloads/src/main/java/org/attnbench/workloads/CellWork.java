package org.attnbench.workloads;

import java.util.HashMap;
import java.util.Map;
import org.attnbench.metrics.cost.GraphCost;

/**
 * The floating-point work of one image of a denoising cell, summed over its steps' graphs built with
 * shapes only (no weights made): what a sweep's ETA weighs denoising cells by, since a 2048 px cell
 * takes a hundred times as long as a 512 px one.
 */
public final class CellWork {
    private final Map<String, Double> byGraph = new HashMap<>();
    private final Map<String, Double> byCell = new HashMap<>();

    /** FLOPs of one image, or NaN for cells that are not denoising loops. */
    public double flops(Cell cell) {
        return byCell.computeIfAbsent(cell.id(), id -> count(cell));
    }

    private double count(Cell cell) {
        if (!(cell.point() instanceof Point.Denoising)) return Double.NaN;
        double total = 0;
        for (CellGraphs.Graph g : CellGraphs.of(cell)) {
            total += g.steps() * byGraph.computeIfAbsent(g.key(), k -> GraphCost.of(g.build().get().proto()).flops());
        }
        return total;
    }
}
