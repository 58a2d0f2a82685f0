package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.attnbench.reports.data.Labels;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * A value against image size, one line per variant and backend: the shape of the speedup and
 * memory charts. Sizes are categories, so every measured size gets its own tick; a size a
 * series did not measure is a gap in its line, never a zero.
 */
final class SizeLines {
    private SizeLines() {}

    static CategoryChart chart(String title, String yTitle, List<ResultRow> rows, ToDoubleFunction<ResultRow> value,
            SeriesLook look) {
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                .xAxisTitle("image size (px per side; the latent grid is 1/8 of it)").yAxisTitle(yTitle).build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        // lines share each size's x position instead of standing side by side like bars
        chart.getStyler().setOverlapped(true);
        List<String> sizes = Sizes.of(rows);
        Map<String, CellInfo> firstCell = new LinkedHashMap<>();
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            String name = look.labels().series(r.cell());
            firstCell.putIfAbsent(name, r.cell());
            bySeries.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(Labels.size(r.cell()), value.applyAsDouble(r));
        }
        for (Map.Entry<String, Map<String, Double>> e : bySeries.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String size : sizes) ys.add(e.getValue().get(size));
            look.apply(chart.addSeries(e.getKey(), sizes, ys), firstCell.get(e.getKey()));
        }
        return chart;
    }

    /** A y range from zero that leaves room above the largest value and includes {@code floor}. */
    static void fromZero(CategoryChart chart, List<ResultRow> rows, ToDoubleFunction<ResultRow> value, double floor) {
        double max = rows.stream().mapToDouble(value).filter(Double::isFinite).max().orElse(floor);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(floor, max) * 1.12);
    }
}
