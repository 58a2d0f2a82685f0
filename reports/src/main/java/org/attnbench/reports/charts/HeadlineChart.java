package org.attnbench.reports.charts;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.StepSplit;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.tables.PaperClaims;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The paper's headline against this machine, per model family (UNets, PixArt transformers): per
 * method and backend, the measured image speedup (with its 95% interval) against image size,
 * beside what counted FLOPs predict, the ideal that the measured split of a dense step predicts,
 * and, for the SD UNets the paper measured, its claimed speedup; then the same cells' error against
 * dense by size. At each size the charts take the paper's ToDo factor for that size (2 up to
 * 1024 px, 3 at 1536, 4 at 2048) when the run has it.
 */
public final class HeadlineChart {
    private HeadlineChart() {}

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        Map<String, List<ResultRow>> byFamily = new LinkedHashMap<>();
        for (ResultRow r : chosen(run.rows())) byFamily.computeIfAbsent(r.cell().modelFamily(), k -> new ArrayList<>()).add(r);
        byFamily.forEach((modelClass, cells) -> {
            String model = Labels.modelFamily(cells.get(0).cell());
            String slug = modelClass.equals(CellInfo.UNET_CLASS) ? "unet"
                    : modelClass.replace("Transformer2DModel", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            out.add(speedups(run, cells, model, modelClass.equals(CellInfo.UNET_CLASS), files, "headline-" + slug));
            Block errors = errors(cells, model, files, "headline-error-" + slug);
            if (errors != null) out.add(errors);
        });
        return out;
    }

    /** Measured, ideal and FLOP-predicted speedup against size; the paper's claims where it made them (SD UNets). */
    private static Block speedups(RunData run, List<ResultRow> cells, String model, boolean paperModel, ChartFiles files, String id) {
        List<String> sizes = cells.stream().map(r -> Labels.size(r.cell())).distinct().toList();
        List<String> families = cells.stream().map(r -> r.cell().family()).distinct().toList();
        List<String> backends = cells.stream().map(r -> r.cell().backend()).distinct().toList();

        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT)
                .title("Whole " + model + ": " + (paperModel ? "paper's claim, " : "") + "measured and predicted speedup")
                .xAxisTitle("image size (px per side)").yAxisTitle("image speedup over dense (×)").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);
        double top = 1.2;
        for (int f = 0; f < families.size(); f++) {
            String family = families.get(f);
            Color colour = ChartStyle.color(f);
            String name = Labels.familyName(family);
            for (int b = 0; b < backends.size(); b++) {
                String backend = backends.get(b);
                List<ResultRow> line = cells.stream().filter(r -> r.cell().family().equals(family)
                        && r.cell().backend().equals(backend)).toList();
                if (line.isEmpty()) continue;
                String where = " · " + Labels.backend(backend);
                List<Double> measured = values(sizes, line, r -> r.speedup().ratio());
                List<Double> halfWidths = values(sizes, line, r -> (r.speedup().high() - r.speedup().low()) / 2);
                halfWidths.replaceAll(h -> h == null || !Double.isFinite(h) ? 0.0 : h);
                // XChart draws error bars only on a series without gaps.
                CategorySeries m = measured.contains(null) ? chart.addSeries(name + " measured" + where, sizes, measured)
                        : chart.addSeries(name + " measured" + where, sizes, measured, halfWidths);
                style(m, colour, ChartStyle.SOLID, b);
                List<Double> ideal = values(sizes, line, r -> run.reference(r).map(d -> StepSplit.idealSpeedup(d, r)).orElse(Double.NaN));
                if (ideal.stream().anyMatch(v -> v != null)) {
                    style(chart.addSeries(name + " ideal from time split" + where, sizes, ideal), colour, ChartStyle.DASHED, b);
                }
                top = Math.max(top, max(measured, ideal));
            }
            List<ResultRow> any = cells.stream().filter(r -> r.cell().family().equals(family)).toList();
            List<Double> flops = values(sizes, any, r -> run.reference(r).map(d -> d.cost().flops() / r.cost().flops()).orElse(Double.NaN));
            style(chart.addSeries(name + " FLOP-predicted", sizes, flops), colour, ChartStyle.DOTTED, -1);
            List<Double> claims = paperModel ? values(sizes, any, r -> claimed(run, r)) : List.of();
            if (claims.stream().anyMatch(v -> v != null)) {
                CategorySeries c = chart.addSeries(name + " paper's claim (GPU)", sizes, claims);
                c.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
                c.setMarker(SeriesMarkers.CROSS);
                c.setMarkerColor(colour);
                top = Math.max(top, max(claims, flops));
            }
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(top * 1.12);
        chart.addAnnotation(new AnnotationLine(1.0, false, false));
        return files.save(id, chart, "Solid: measured image speedup over dense on the same"
                + " backend and kernel, bars its 95% interval (on lines without gaps). Dashed: the ideal from the time split (each part of"
                + " the dense step at the rate it ran, scaled by the method's FLOPs in it). Dotted: the speedup if"
                + " time followed counted FLOPs." + (paperModel ? " Crosses: the paper's claim on its GPU." : "")
                + " ToDo is shown at the paper's factor for each size where the run has it.");
    }

    /** The same cells' error against dense (MSE of the final latents) against size; null when none was measured. */
    private static Block errors(List<ResultRow> cells, String model, ChartFiles files, String id) {
        if (cells.stream().noneMatch(r -> Double.isFinite(r.quality().mse()) && r.quality().mse() > 0)) return null;
        List<String> sizes = cells.stream().map(r -> Labels.size(r.cell())).distinct().toList();
        List<String> families = cells.stream().map(r -> r.cell().family()).distinct().toList();
        List<String> backends = cells.stream().map(r -> r.cell().backend()).distinct().toList();
        CategoryChart chart = new CategoryChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT)
                .title("Whole " + model + ": error against dense by image size")
                .xAxisTitle("image size (px per side)").yAxisTitle("MSE of the output against dense (log)").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (int f = 0; f < families.size(); f++) {
            String family = families.get(f);
            for (int b = 0; b < backends.size(); b++) {
                String backend = backends.get(b);
                List<ResultRow> line = cells.stream().filter(r -> r.cell().family().equals(family)
                        && r.cell().backend().equals(backend)).toList();
                List<Double> mse = values(sizes, line, r -> r.quality().mse() > 0 ? r.quality().mse() : Double.NaN);
                if (mse.stream().allMatch(v -> v == null)) continue;
                style(chart.addSeries(Labels.familyName(family) + " · " + Labels.backend(backend), sizes, mse),
                        ChartStyle.color(f), ChartStyle.SOLID, b);
            }
        }
        return files.save(id, chart, "Mean squared error of each method's output against dense's, for the same seed, prompt"
                + " states and steps, at each image size (the cells of the speedup chart above). Lower is closer to dense.");
    }

    /** The measured denoising-loop cells drawn: one per model family, method, backend and size, by size. */
    static List<ResultRow> chosen(List<ResultRow> rows) {
        Map<String, ResultRow> chosen = new LinkedHashMap<>();
        rows.stream()
                .filter(r -> r.ok() && r.cell().workload() == WorkloadKind.DENOISING && RunData.compared(r)
                        && Double.isFinite(r.speedup().ratio()))
                .sorted(Comparator.comparingInt((ResultRow r) -> paperFactorDistance(r)))
                .forEach(r -> chosen.putIfAbsent(r.cell().modelFamily() + "|" + r.cell().family() + "|" + r.cell().backend()
                        + "|" + Labels.size(r.cell()), r));
        List<ResultRow> cells = new ArrayList<>(chosen.values());
        cells.sort(Comparator.comparingInt(r -> r.cell().resolutionPx()));
        return cells;
    }

    /** 0 for the paper's ToDo factor at the cell's size (2 up to 1024 px, 3 at 1536, 4 above), more the further off. */
    private static int paperFactorDistance(ResultRow r) {
        if (!r.cell().family().equals("todo")) return 0;
        int px = r.cell().resolutionPx();
        int paper = px <= PaperClaims.COMMON_MAX_PX ? 2 : px <= PaperClaims.TABLE1_PX ? 3 : 4;
        return (int) Math.abs(r.cell().number("factor").orElse(paper) - paper);
    }

    /** The paper's claimed speedup where the cell's is of the kind it claims, else NaN (no cross). */
    private static double claimed(RunData run, ResultRow r) {
        return PaperClaims.comparable(run, r).map(c -> c.times()).orElse(Double.NaN);
    }

    /** One value per size; null (a gap) where no cell or no finite value. */
    private static List<Double> values(List<String> sizes, List<ResultRow> cells, ToDoubleFunction<ResultRow> value) {
        List<Double> out = new ArrayList<>();
        for (String size : sizes) {
            Double y = null;
            for (ResultRow r : cells) {
                double v = Labels.size(r.cell()).equals(size) ? value.applyAsDouble(r) : Double.NaN;
                if (Double.isFinite(v)) y = v;
            }
            out.add(y);
        }
        return out;
    }

    private static void style(CategorySeries s, Color colour, java.awt.BasicStroke stroke, int backend) {
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setLineStyle(stroke);
        s.setMarker(backend < 0 ? SeriesMarkers.NONE : backend == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE);
    }

    @SafeVarargs
    private static double max(List<Double>... lists) {
        double m = 0;
        for (List<Double> l : lists) for (Double v : l) if (v != null && Double.isFinite(v)) m = Math.max(m, v);
        return m;
    }
}
