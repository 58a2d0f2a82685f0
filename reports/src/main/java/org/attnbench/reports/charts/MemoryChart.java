package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.CategoryChart;

/**
 * Peak memory against image size per variant: token reduction is also sold on memory (ToMe
 * claims 3.8× less at ratio 0.5), and memory, not time, is what stops large images.
 */
public final class MemoryChart {
    private MemoryChart() {}

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) {
            List<ResultRow> ok = run.rows(scope).stream().filter(ResultRow::ok).toList();
            out.add(chart(scope, ok, files, "host", r -> r.memory().peakRssMb(),
                    "peak resident memory (MiB)",
                    "Peak resident memory (VmHWM) of the process that ran each cell, reset before the cell's graph was"
                            + " built: JVM, native libraries and tensors together, so differences between variants"
                            + " matter more than the level. Lower is better."));
            ok.stream().filter(r -> Double.isFinite(r.memory().devicePeakMb())).findFirst().ifPresent(first ->
                    out.add(chart(scope, ok, files, "device", r -> r.memory().devicePeakMb(), "peak device memory (MiB)",
                            "Peak device memory in use while each cell ran, sampled over the cell's window ("
                                    + first.memory().deviceSource() + "). Lower is better.")));
        }
        return out;
    }

    private static Block chart(Scope scope, List<ResultRow> ok, ChartFiles files, String kind,
            ToDoubleFunction<ResultRow> value, String yTitle, String caption) {
        String title = "Peak " + kind + " memory, " + scope.title();
        List<ResultRow> points = ok.stream().filter(r -> Double.isFinite(value.applyAsDouble(r))).toList();
        if (points.isEmpty()) {
            return new Block.LeftOut(title, ok.isEmpty() ? "no cell of this scope ran"
                    : "no cell of this scope recorded its peak " + kind + " memory");
        }
        CategoryChart chart = SizeLines.chart(title, yTitle, points, value, new SeriesLook(points));
        SizeLines.fromZero(chart, points, value, 1);
        return files.save("memory-" + kind + "-" + scope.slug(), chart, caption);
    }
}
