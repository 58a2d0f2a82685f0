package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;

/**
 * Latency distributions per cell as box plots, one chart per scope and size: medians alone hide
 * noise, and a speedup is only as trustworthy as the two distributions it divides.
 */
public final class LatencyChart {
    private LatencyChart() {}

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) {
            List<ResultRow> timed = run.rows(scope).stream()
                    .filter(r -> r.ok() && r.timing() != null && !r.timing().samplesMs().isEmpty()).toList();
            if (timed.isEmpty()) {
                out.add(new Block.LeftOut("Latency distributions, " + scope.title(), "no cell of this scope has timing samples"));
                continue;
            }
            Labels labels = new Labels(timed);
            for (int px : Sizes.pixels(timed)) {
                List<ResultRow> cells = timed.stream().filter(r -> r.cell().resolutionPx() == px)
                        .sorted(Comparator.comparing((ResultRow r) -> labels.where(r.cell()))
                                .thenComparing(r -> r.cell().variant()))
                        .toList();
                String title = "Latency per cell, " + scope.title() + ", " + px + " px";
                BoxChart chart = new BoxChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                        .yAxisTitle("time per sample (ms, " + scope.sampleUnit() + ")").build();
                ChartStyle.apply(chart.getStyler());
                chart.getStyler().setLegendVisible(false);
                if (cells.size() > 4) chart.getStyler().setXAxisLabelRotation(20);
                UniqueNames names = new UniqueNames();
                for (ResultRow r : cells) chart.addSeries(names.of(labels.series(r.cell())), r.timing().samples());
                int n = cells.stream().mapToInt(r -> r.timing().samplesMs().size()).min().orElse(0);
                int nMax = cells.stream().mapToInt(r -> r.timing().samplesMs().size()).max().orElse(0);
                String count = n == nMax ? n + " samples per cell" : n + " to " + nMax + " samples per cell";
                long notRun = run.rows(scope).stream().filter(r -> !r.ok() && r.cell().resolutionPx() == px).count();
                String missing = notRun == 0 ? "" : " " + notRun + " failed or skipped cell(s) of this size have no box"
                        + " (see Failed and skipped cells).";
                out.add(files.save("latency-" + scope.slug() + "-" + px, chart,
                        "Lower boxes are faster and taller ones noisier; a speedup is only as sure as the two boxes it"
                                + " divides (line: median; box: middle half; whiskers: furthest sample within 1.5 box"
                                + " heights; crosses: samples beyond; " + count + ")." + missing));
            }
        }
        return out;
    }
}
