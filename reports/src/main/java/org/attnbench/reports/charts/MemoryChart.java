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
                    "Lower lines need less memory; read the gaps between variants at one size rather than the level"
                            + " (peak resident memory, VmHWM, of the process that ran each cell, reset before its graph"
                            + " was built, so the JVM and native libraries are included)."));
            ok.stream().filter(r -> Double.isFinite(r.memory().devicePeakMb())).findFirst().ifPresent(first ->
                    out.add(chart(scope, ok, files, "device", r -> r.memory().devicePeakMb(), "peak device memory (MiB)",
                            "Lower lines need less device memory (peak in use while each cell ran, sampled over its"
                                    + " window through " + first.memory().deviceSource() + ").")));
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
