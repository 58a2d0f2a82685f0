package org.attnbench.reports.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.attnbench.methods.Methods;
import org.attnbench.methods.StepMethod;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/**
 * Error against speed: what each variant loses for what it gains. One chart per error measure the
 * run has (MSE always when measured; HPF change, the feature distance to dense and to a reference
 * image set, and the CLIP score against the prompts where present), each point a cell, and at each
 * size the Pareto front joined, so the settings worth choosing stand out. Feature scores get one chart per extractor, never two
 * extractors' numbers on one axis, and are named by what made them: FID for the standard FID
 * Inception, FID-like otherwise; a caption says when a cell's images are fewer than the score needs
 * to be stable.
 */
public final class FidelityChart {
    private FidelityChart() {}

    /** An error measure: lower is closer to dense, unless {@code higherIsBetter} (a CLIP score). */
    private record Measure(String key, String name, String axis, ToDoubleFunction<Quality> value, String meaning,
            boolean higherIsBetter) {
        Measure(String key, String name, String axis, ToDoubleFunction<Quality> value, String meaning) {
            this(key, name, axis, value, meaning, false);
        }

        /** What the Pareto front minimises. */
        double error(ResultRow r) {
            double v = value.applyAsDouble(r.quality());
            return higherIsBetter ? -v : v;
        }
    }

    private static final List<Measure> MEASURES = List.of(
            new Measure("mse", "MSE", "MSE against dense (lower is closer)", Quality::mse,
                    "mean squared error of the outputs against dense for the same inputs"),
            new Measure("hpf", "HPF change", "|HPF − dense HPF| ÷ dense HPF (%, lower keeps detail)",
                    FidelityChart::hpfChange,
                    "how much the high-frequency detail (mean |x − blur(x)|, the paper's HPF) moved from dense's,"
                            + " in either direction"),
            new Measure("fid", "FID-like", "FID-like distance to dense (lower is closer)", Quality::fidLike,
                    "Frechet distance between image features of the variant and of dense; FID-like, not comparable"
                            + " with published FID unless the extractor is the standard FID Inception"),
            new Measure("fid_set", "FID-like to the reference set", "FID-like distance to the reference images (lower is closer)",
                    q -> q.referenceSet() == null ? Double.NaN : q.referenceSet().fid(),
                    "Frechet distance between image features of the cell's images and of the reference image set"
                            + " (dense included, at speedup 1)"),
            new Measure("clip", "CLIP score", "CLIP score against the prompts (higher follows the text better)",
                    Quality::clipScore, "CLIP score of each cell's images against the prompts they were sampled from"
                            + " (dense included, at speedup 1)", true));
    /** Images a feature score needs to be stable: FID about 5,000 (as papers compute it), KID about 100. */
    static final int FID_STABLE = 5000;
    static final int KID_STABLE = 100;

    public static List<Block> blocks(RunData run, ChartFiles files) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) {
            List<ResultRow> compared = run.rows(scope).stream()
                    .filter(r -> r.ok() && RunData.compared(r) && Double.isFinite(r.speedup().ratio())).toList();
            for (Measure m : MEASURES) {
                List<ResultRow> candidates = scoresDenseToo(m)
                        ? run.rows(scope).stream().filter(r -> r.ok() && (RunData.compared(r) ? Double.isFinite(r.speedup().ratio())
                                : r.cell().referenceId() == null)).toList()
                        : compared;
                List<ResultRow> points = candidates.stream().filter(r -> Double.isFinite(m.value().applyAsDouble(r.quality())))
                        .toList();
                if (points.isEmpty()) {
                    if (!isFeature(m) && !m.higherIsBetter()) out.add(new Block.LeftOut(m.name() + " against speedup, " + scope.title(), why(compared, m)));
                    continue;
                }
                if (m.higherIsBetter()) {
                    // one chart per CLIP model, as per feature extractor
                    List<String> models = RunData.distinct(points, r -> r.quality().clipModel());
                    for (int c = 0; c < models.size(); c++) {
                        String model = models.get(c);
                        List<ResultRow> mine = points.stream().filter(r -> model.equals(r.quality().clipModel())).toList();
                        String title = m.name() + " against speedup, " + scope.title() + " (" + model + ")";
                        String key = "fidelity-" + m.key() + "-" + scope.slug() + (models.size() > 1 ? "-" + (c + 1) : "");
                        out.add(files.save(key, chart(title, mine, m), caption(mine, m)));
                    }
                    continue;
                }
                if (!isFeature(m)) {
                    out.add(files.save("fidelity-" + m.key() + "-" + scope.slug(), chart(m.name() + " against speedup, "
                            + scope.title(), points, m), caption(points, m)));
                    continue;
                }
                // one chart per extractor: scores of two networks never share an axis
                List<String> extractors = RunData.distinct(points, r -> r.quality().extractor());
                for (int e = 0; e < extractors.size(); e++) {
                    String label = extractors.get(e);
                    List<ResultRow> mine = points.stream().filter(r -> label.equals(r.quality().extractor())).toList();
                    Measure named = named(m, label, mine);
                    String title = named.name() + " against speedup, " + scope.title() + (extractors.size() > 1 ? " (" + label + ")" : "");
                    String key = "fidelity-" + m.key() + "-" + scope.slug() + (extractors.size() > 1 ? "-" + (e + 1) : "");
                    out.add(files.save(key, chart(title, mine, named), caption(mine, named) + " " + sampleNote(mine, m)));
                }
            }
        }
        return out;
    }

    private static boolean isFeature(Measure m) {
        return m.key().startsWith("fid");
    }

    /** Scores of the images against something other than dense's: dense's own cell has one too. */
    private static boolean scoresDenseToo(Measure m) {
        return m.key().equals("fid_set") || m.key().equals("clip");
    }

    /** The measure called FID for the standard FID Inception, FID-like for any other extractor. */
    private static Measure named(Measure m, String extractor, List<ResultRow> points) {
        boolean standard = extractor.startsWith("fid-inception ");
        String fid = standard ? "FID" : "FID-like";
        if (m.key().equals("fid")) {
            return new Measure(m.key(), fid, fid + " distance to dense (lower is closer)", m.value(), standard
                    ? "FID between the variant's images and dense's, standard Inception and clean-fid's preprocessing"
                    : m.meaning());
        }
        String set = points.get(0).quality().referenceSet().name();
        return new Measure(m.key(), fid + " to " + set, fid + " to " + set + " (lower is closer)", m.value(),
                fid + " of each cell's images against the reference set " + set + " ("
                        + points.get(0).quality().referenceSet().setImages() + " images; dense included, at speedup 1)");
    }

    /** Says when the cells' image counts are below what FID and KID need to be stable. */
    static String sampleNote(List<ResultRow> points, Measure m) {
        int fewest = points.stream().mapToInt(r -> m.key().equals("fid_set") ? r.quality().referenceSet().cellImages()
                : r.quality().samples()).min().orElse(0);
        if (fewest >= FID_STABLE) return "";
        return "Each cell scored as few as " + fewest + " images: FID needs about " + FID_STABLE + " to be stable"
                + (fewest < KID_STABLE ? " and KID about " + KID_STABLE : "") + ", so read these as a comparison of this run's"
                + " cells, not beside published numbers.";
    }

    private static XYChart chart(String title, List<ResultRow> points, Measure m) {
        XYChart chart = new XYChartBuilder().width(ChartStyle.WIDTH).height(ChartStyle.HEIGHT).title(title)
                .xAxisTitle("speedup over dense (×, right is faster)").yAxisTitle(m.axis()).build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setxAxisTickLabelsFormattingFunction(ChartStyle::tick);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ToDoubleFunction<ResultRow> y = r -> m.value().applyAsDouble(r.quality());
        double[] xRange = range(points, FidelityChart::speed);
        double xMin = Math.min(0.9, xRange[0] * 0.9);
        double xMax = Math.max(1.1, xRange[1] * 1.1);
        double[] yRange = range(points, y);
        boolean log = yRange[0] > 0 && yRange[1] / yRange[0] >= 20;
        double yMin = log ? Math.pow(10, Math.floor(Math.log10(yRange[0]))) : 0;
        double yMax = log ? Math.pow(10, Math.ceil(Math.log10(yRange[1]))) : (yRange[1] > 0 ? yRange[1] * 1.15 : 1);
        if (m.higherIsBetter()) {
            // a CLIP score sits near 30 whatever the method: an axis from 0 would flatten every difference
            double pad = 0.15 * Math.max(yRange[1] - yRange[0], 0.1 * Math.abs(yRange[0]));
            yMin = Math.max(0, yRange[0] - pad);
            yMax = yRange[1] + pad;
        }
        chart.getStyler().setXAxisMin(xMin).setXAxisMax(xMax).setYAxisMin(yMin).setYAxisMax(yMax);
        chart.getStyler().setYAxisLogarithmic(log);
        // XChart places a log axis's ticks itself; a tick formatter would relabel them as if linear
        if (log) chart.getStyler().setyAxisTickLabelsFormattingFunction(null);

        SeriesLook look = new SeriesLook(points);
        boolean kinds = points.stream().map(r -> kind(r.cell().family())).distinct().count() > 1;
        Map<String, List<ResultRow>> bySeries = new LinkedHashMap<>();
        List<ResultRow> byKind = points.stream().sorted(java.util.Comparator.comparing(r -> kind(r.cell().family()).ordinal())).toList();
        for (ResultRow r : byKind) {
            String name = (kinds ? kind(r.cell().family()).label + " · " : "") + look.labels().series(r.cell());
            bySeries.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<ResultRow>> e : bySeries.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), xs(e.getValue()), e.getValue().stream().mapToDouble(y).toArray());
            look.apply(s, e.getValue().get(0).cell());
        }
        List<Integer> sizes = Sizes.pixels(points);
        int i = 0;
        for (int px : sizes) {
            List<ResultRow> front = front(points.stream().filter(r -> r.cell().resolutionPx() == px).toList(), m);
            String name = sizes.size() == 1 ? "Pareto front" : "Pareto front, " + px + " px";
            XYSeries s = chart.addSeries(name, xs(front), front.stream().mapToDouble(y).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(new Ring());
            s.setMarkerColor(ChartStyle.REFERENCE_LINE);
            s.setLineColor(ChartStyle.REFERENCE_LINE);
            s.setLineStyle(i++ % 2 == 0 ? ChartStyle.THIN_DASHED : ChartStyle.DOTTED);
        }
        if (sizes.size() > 1) {
            // plot area of a 960 x 540 chart with the legend on the right, roughly
            PointLabels labels = new PointLabels(xMin, xMax, yMin, yMax, log, ChartStyle.WIDTH - 330, ChartStyle.HEIGHT - 110);
            for (ResultRow r : points) labels.point(speed(r), y.applyAsDouble(r));
            for (ResultRow r : points) labels.label(chart, r.cell().resolutionPx() + " px", speed(r), y.applyAsDouble(r));
        }
        return chart;
    }

    /** The Pareto front of {@code rows} on the measure keyed {@code key} ("mse", "clip", ...). */
    static List<ResultRow> front(List<ResultRow> rows, String key) {
        return front(rows, MEASURES.stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow());
    }

    private static List<ResultRow> front(List<ResultRow> rows, Measure m) {
        return Pareto.front(rows, FidelityChart::speed, m::error);
    }

    /** The families a reader compares: methods inside a step, across steps, or both stacked. */
    enum Kind {
        TOKEN("within a step"), CROSS_STEP("across steps"), STACKED("both");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** A family's kind, from the methods registry by name ("todo+deepcache" is stacked). */
    static Kind kind(String family) {
        if (family.contains("+")) return Kind.STACKED;
        Methods.Entry m = Methods.byName(family);
        return m != null && StepMethod.class.isAssignableFrom(m.type()) ? Kind.CROSS_STEP : Kind.TOKEN;
    }

    private static double[] range(List<ResultRow> rows, ToDoubleFunction<ResultRow> f) {
        double min = rows.stream().mapToDouble(f).min().orElse(0);
        double max = rows.stream().mapToDouble(f).max().orElse(1);
        return new double[] {min, max};
    }

    private static double[] xs(List<ResultRow> rows) {
        return rows.stream().mapToDouble(FidelityChart::speed).toArray();
    }

    /** A cell's speedup; the reference cell itself (scored against a reference set) sits at 1. */
    static double speed(ResultRow r) {
        return r.speedup() == null || !Double.isFinite(r.speedup().ratio()) ? 1.0 : r.speedup().ratio();
    }

    private static String caption(List<ResultRow> points, Measure m) {
        String labelled = Sizes.pixels(points).size() > 1 ? " Each point is labelled with its size." : "";
        String extractor = isFeature(m) ? extractors(points) : "";
        return "The best trade-offs sit " + (m.higherIsBetter() ? "high" : "low") + " and to the right; ringed points,"
                + " joined per size, are the Pareto front, which no other cell of that size beats on both speed and "
                + (m.higherIsBetter() ? "score" : "error") + ", whatever its method's family (y: "
                + m.meaning() + "; colour is the variant, marker the backend; where the run holds both, each series"
                + " names its family: token methods within a step, cache methods across steps, or both stacked)."
                + extractor + labelled;
    }

    private static String extractors(List<ResultRow> points) {
        List<String> names = RunData.distinct(points, r -> r.quality().extractor());
        return names.isEmpty() ? "" : " Features: " + String.join(", ", names) + ".";
    }

    private static String why(List<ResultRow> compared, Measure m) {
        if (compared.isEmpty()) return "no variant cell of this scope has a measured speedup";
        return "no variant cell of this scope has a measured " + m.name()
                + (m.key().equals("hpf") ? " (HPF is measured when a run saves outputs for both the variant and dense)"
                : "");
    }

    /** |hpf / hpf_reference − 1| in percent; NaN unless both were measured. */
    static double hpfChange(Quality q) {
        if (!Double.isFinite(q.hpf()) || !(q.hpfReference() > 0)) return Double.NaN;
        return 100 * Math.abs(q.hpf() / q.hpfReference() - 1);
    }
}
