package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.attnbench.reports.compare.Mark;
import org.attnbench.reports.compare.MetricChange;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * The change per cell against a baseline run, regressions in red: what a reviewer of a change
 * looks at first. Speedups (which travel between machines) and median times (shown, not gated)
 * each get a chart; positive always means better.
 */
public final class BaselineChart {
    private BaselineChart() {}

    public static List<Block> blocks(RunData run, RunComparison comparison, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        out.add(chart(run, comparison, files, "speedup", "Speedup change against the baseline",
                "change in speedup over dense (%, positive is better)",
                "Red bars are regressions (beyond the threshold and significant by asv's rule), green significant"
                        + " improvements, grey changes within the threshold or not significant (speedup over dense now"
                        + " ÷ in the baseline, minus 1; p-values in the table below)."));
        out.add(chart(run, comparison, files, "time_ms", "Median time change against the baseline",
                "change in median time (%, positive is faster)",
                "Bars above zero got faster, below zero slower; shown, not gated, because absolute times travel badly"
                        + " between machines (median in the baseline ÷ now, minus 1; colours as for the speedups)."));
        return out;
    }

    private static Block chart(RunData run, RunComparison comparison, ChartFiles files, String metric, String title,
            String yTitle, String caption) {
        List<MetricChange> changes = comparison.changes().stream()
                .filter(c -> c.metric().equals(metric) && Double.isFinite(c.ratio())).toList();
        if (changes.isEmpty()) {
            return new Block.LeftOut(title, "no cell has a " + (metric.equals("speedup") ? "speedup" : "median time")
                    + " in both runs");
        }
        Labels labels = new Labels(run.rows());
        List<String> categories = new ArrayList<>();
        List<Double> worse = new ArrayList<>();
        List<Double> better = new ArrayList<>();
        List<Double> same = new ArrayList<>();
        UniqueNames names = new UniqueNames();
        for (MetricChange c : changes) {
            categories.add(names.of(run.byId(c.cellId()).map(ResultRow::cell).map(labels::cell).orElse(c.label())));
            double pct = 100 * (metric.equals("speedup") ? c.ratio() - 1 : 1 / c.ratio() - 1);
            worse.add(c.mark() == Mark.WORSE ? pct : null);
            better.add(c.mark() == Mark.BETTER ? pct : null);
            same.add(c.mark() == Mark.WORSE || c.mark() == Mark.BETTER ? null : pct);
        }
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT + 60)
                .title(title).yAxisTitle(yTitle).build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 3 ? 30 : 0);
        add(chart, "regression", categories, worse, ChartStyle.WORSE);
        add(chart, "improvement", categories, better, ChartStyle.BETTER);
        add(chart, "no significant change", categories, same, ChartStyle.NEUTRAL);
        double reach = Math.max(10, 1.15 * Stream.of(worse, better, same).flatMap(List::stream)
                .filter(Objects::nonNull).mapToDouble(Math::abs).max().orElse(0));
        chart.getStyler().setYAxisMin(-reach);
        chart.getStyler().setYAxisMax(reach);
        chart.addAnnotation(new AnnotationLine(0.0, false, false));
        return files.save("baseline-" + metric.replace('_', '-'), chart, caption);
    }

    private static void add(CategoryChart chart, String name, List<String> categories, List<Double> ys,
            java.awt.Color color) {
        if (ys.stream().allMatch(Objects::isNull)) return;
        CategorySeries s = chart.addSeries(name, categories, ys);
        s.setFillColor(color);
        s.setLineColor(color);
    }
}
