package org.attnbench.reports.charts;

import java.util.Comparator;
import java.util.List;
import org.attnbench.reports.data.Labels;
import org.attnbench.store.ResultRow;

/** The image sizes of some rows, as the ordered categories of a chart's x axis. */
final class Sizes {
    private Sizes() {}

    /** Distinct sizes, smallest first, as "512 px". */
    static List<String> of(List<ResultRow> rows) {
        return rows.stream().sorted(Comparator.comparingInt(r -> r.cell().resolutionPx()))
                .map(r -> Labels.size(r.cell())).distinct().toList();
    }

    /** The distinct pixel sizes, smallest first. */
    static List<Integer> pixels(List<ResultRow> rows) {
        return rows.stream().map(r -> r.cell().resolutionPx()).distinct().sorted().toList();
    }
}
