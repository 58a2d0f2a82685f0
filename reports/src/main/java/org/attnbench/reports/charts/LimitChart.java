package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Achieved GFLOP/s as a share of the machine's measured GEMM rate: how far each cell is from
 * what the backend could do, which says whether a variant is slow because of its arithmetic or
 * because of everything around it (copies, small kernels, the softmax's exponentials).
 */
public final class LimitChart {
    private LimitChart() {}

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) {
            String title = "Share of the machine's GEMM rate, " + scope.title();
            List<ResultRow> ok = run.rows(scope).stream().filter(ResultRow::ok).toList();
            List<ResultRow> withFlops = ok.stream().filter(r -> Double.isFinite(r.cost().gflops())).toList();
            List<ResultRow> points = withFlops.stream().filter(r -> Double.isFinite(run.gemmCeiling(r))).toList();
            if (points.isEmpty()) {
                out.add(new Block.LeftOut(title, withFlops.isEmpty() ? "no cell of this scope has a FLOP count"
                        : "no GEMM ceiling was measured for these backends and devices in this run"));
                continue;
            }
            out.add(files.save("limit-" + scope.slug(), chart(title, run, points), caption(run, points)));
        }
        return out;
    }

    private static CategoryChart chart(String title, RunData run, List<ResultRow> points) {
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                .yAxisTitle("achieved ÷ GEMM GFLOP/s (%)").build();
        ChartStyle.apply(chart.getStyler());
        Labels labels = new Labels(points);
        List<String> categories = new ArrayList<>();
        Map<String, Map<String, Double>> byWhere = new LinkedHashMap<>();
        for (ResultRow r : points) {
            String category = labels.variant(r.cell().variant()) + " · " + Labels.size(r.cell());
            if (!categories.contains(category)) categories.add(category);
            byWhere.computeIfAbsent(labels.where(r.cell()), k -> new LinkedHashMap<>())
                    .put(category, 100 * r.cost().gflops() / run.gemmCeiling(r));
        }
        for (Map.Entry<String, Map<String, Double>> e : byWhere.entrySet()) {
            List<Double> ys = categories.stream().map(c -> e.getValue().get(c)).toList();
            chart.addSeries(e.getKey(), categories, ys);
        }
        chart.getStyler().setYAxisMin(0.0);
        if (categories.size() > 4) chart.getStyler().setXAxisLabelRotation(20);
        return chart;
    }

    private static String caption(RunData run, List<ResultRow> points) {
        Map<String, String> ceilings = new LinkedHashMap<>();
        Labels labels = new Labels(points);
        for (ResultRow r : points) {
            ceilings.putIfAbsent(labels.where(r.cell()),
                    String.format(Locale.ROOT, "%s %.0f GFLOP/s", labels.where(r.cell()), run.gemmCeiling(r)));
        }
        return "Higher bars are closer to what the machine can do; a variant with a low bar is held back by memory"
                + " traffic or overheads rather than arithmetic (graph FLOPs ÷ median time, as a share of a large"
                + " matrix multiply measured on the same backend and device in this run: "
                + String.join(", ", ceilings.values()) + ").";
    }
}
