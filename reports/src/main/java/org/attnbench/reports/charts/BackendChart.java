package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * DJL against ONNX Runtime on the same cells (same device, dtype, size and variant): whether a
 * variant's gain depends on the runtime, and which runtime to run it on.
 */
public final class BackendChart {
    static final String DJL = "djl";
    static final String ORT = "onnxruntime";

    private BackendChart() {}

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) {
            String title = "DJL against ONNX Runtime, " + scope.title();
            List<ResultRow> rows = run.rows(scope);
            List<String> backends = RunData.distinct(rows, r -> r.cell().backend());
            if (!backends.contains(DJL) || !backends.contains(ORT)) {
                out.add(new Block.LeftOut(title, "this scope ran on " + String.join(", ",
                        backends.stream().map(Labels::backend).toList()) + " only; the comparison needs both backends"));
                continue;
            }
            Map<String, ResultRow[]> pairs = pairs(rows);
            if (pairs.isEmpty()) {
                out.add(new Block.LeftOut(title, "no cell ran on both backends"));
                continue;
            }
            out.add(files.save("backends-" + scope.slug(), chart(title, pairs),
                    "Above the dashed line at 1 ONNX Runtime is faster on that cell, below it DJL is (median time on"
                            + " DJL ÷ median time on ONNX Runtime, same device, dtype, size and variant)."));
        }
        return out;
    }

    /** Cells that ran on both backends, keyed by everything but the backend: [DJL, ONNX Runtime]. */
    static Map<String, ResultRow[]> pairs(List<ResultRow> rows) {
        Map<String, ResultRow[]> out = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            if (!r.ok() || (!r.cell().backend().equals(DJL) && !r.cell().backend().equals(ORT))) continue;
            ResultRow[] pair = out.computeIfAbsent(key(r.cell()), k -> new ResultRow[2]);
            pair[r.cell().backend().equals(DJL) ? 0 : 1] = r;
        }
        out.values().removeIf(p -> p[0] == null || p[1] == null);
        return out;
    }

    private static String key(CellInfo c) {
        return String.join("|", c.device(), c.dtype(), c.workload().toString(), c.model(), c.grid(), String.valueOf(c.resolutionPx()),
                String.valueOf(c.steps()), String.valueOf(c.batch()), c.variant());
    }

    private static CategoryChart chart(String title, Map<String, ResultRow[]> pairs) {
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                .yAxisTitle("DJL time ÷ ONNX Runtime time").build();
        ChartStyle.apply(chart.getStyler());
        List<ResultRow> all = pairs.values().stream().map(p -> p[0]).toList();
        Labels labels = new Labels(all);
        List<String> categories = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        UniqueNames names = new UniqueNames();
        for (ResultRow[] p : pairs.values()) {
            categories.add(names.of(labels.variant(p[0].cell().variant()) + " · " + Labels.size(p[0].cell())
                    + (labels.where(p[0].cell()).equals(Labels.backend(DJL)) ? "" : " · " + p[0].cell().device())));
            ratios.add(p[0].medianMs() / p[1].medianMs());
        }
        chart.addSeries("DJL ÷ ONNX Runtime", categories, ratios);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(1.2, ratios.stream().mapToDouble(Double::doubleValue).max().orElse(1) * 1.12));
        if (categories.size() > 4) chart.getStyler().setXAxisLabelRotation(20);
        chart.addAnnotation(new AnnotationLine(1.0, false, false));
        return chart;
    }
}
