package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.List;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;

/**
 * Speedup over dense against image size, per scope: the first question a reader asks of ToDo or
 * ToMe is whether it is faster at the sizes they generate, and how the gain grows with size.
 */
public final class SpeedupChart {
    private SpeedupChart() {}

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) {
            String title = "Speedup over dense, " + scope.title();
            List<ResultRow> rows = run.rows(scope);
            List<ResultRow> points = rows.stream()
                    .filter(r -> r.ok() && RunData.compared(r) && Double.isFinite(r.speedup().ratio())).toList();
            if (points.isEmpty()) {
                out.add(new Block.LeftOut(title, whyNoSpeedup(rows)));
                continue;
            }
            SeriesLook look = new SeriesLook(points);
            CategoryChart chart = SizeLines.chart(title, "speedup over dense (×, higher is faster)", points,
                    r -> r.speedup().ratio(), look);
            SizeLines.fromZero(chart, points, r -> r.speedup().ratio(), 1.2);
            chart.addAnnotation(new AnnotationLine(1.0, false, false));
            long missing = rows.stream().filter(r -> RunData.compared(r) && !r.ok()).count();
            String caption = "Above the dashed line at 1× a variant is faster than dense, and the slope shows how its"
                    + " gain grows with image size (dense median ÷ variant median, same backend, device, size and"
                    + " kernel; colour is the variant, line style the backend)." + (missing > 0 ? " " + missing
                    + " failed or skipped cell(s) are gaps in their lines." : "");
            out.add(files.save("speedup-" + scope.slug(), chart, caption));
        }
        return out;
    }

    static String whyNoSpeedup(List<ResultRow> rows) {
        if (rows.stream().noneMatch(RunData::compared)) {
            return "this run has no variant cell to compare with dense (only reference cells)";
        }
        if (rows.stream().filter(RunData::compared).noneMatch(ResultRow::ok)) {
            return "every variant cell failed or was skipped";
        }
        return "no dense reference cell ran, so no speedup could be measured";
    }
}
