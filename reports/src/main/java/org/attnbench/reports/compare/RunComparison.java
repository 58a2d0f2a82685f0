package org.attnbench.reports.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.attnbench.metrics.timing.ChangeTest;
import org.attnbench.metrics.timing.Samples;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * Two runs compared cell by cell (cells match by id).
 *
 * <p>For every cell that ran in the baseline: its speedup over its reference cell (gated), its
 * median time (shown; gated only when asked), its fidelity values (gated where a tolerance is
 * set), and whether it still runs at all. A speedup's samples are the reference's median over
 * each of the cell's samples, one per sample taken, so the Mann-Whitney U test compares as many
 * values as were measured; the reference's own spread enters through its median only, which is
 * why the gate's timing uses long sample periods (robust medians) and a factor above the noise.
 */
public final class RunComparison {
    /** Fidelity metrics for which a larger value is worse. */
    private static final Set<String> HIGHER_IS_WORSE = Set.of("mse", "max_abs");
    private static final List<String> FIDELITY = List.of("mse", "max_abs", "cosine", "psnr_db", "hpf");

    private final List<MetricChange> changes;
    private final List<String> onlyInCurrent;
    private final GateSettings settings;

    private RunComparison(List<MetricChange> changes, List<String> onlyInCurrent, GateSettings settings) {
        this.changes = List.copyOf(changes);
        this.onlyInCurrent = List.copyOf(onlyInCurrent);
        this.settings = settings;
    }

    public static RunComparison of(List<ResultRow> baseline, List<ResultRow> current, GateSettings settings) {
        Map<String, ResultRow> before = byId(baseline);
        Map<String, ResultRow> after = byId(current);
        List<MetricChange> out = new ArrayList<>();
        for (ResultRow b : before.values()) {
            if (!b.ok()) continue;
            ResultRow a = after.get(b.cell().id());
            String label = label(b);
            if (a == null || !a.ok()) {
                out.add(new MetricChange(b.cell().id(), label, a == null ? "missing" : "status: " + a.error(),
                        b.medianMs(), Double.NaN, Double.NaN, Mark.FAILED, true));
                continue;
            }
            double[] sb = speedupSamples(b, before);
            double[] sa = speedupSamples(a, after);
            if (sb != null && sa != null) {
                out.add(timed(b, label, "speedup", b.speedup().ratio(), a.speedup().ratio(), sb, sa, true, settings));
            }
            out.add(timed(b, label, "time_ms", b.medianMs(), a.medianMs(), b.timing().samples(), a.timing().samples(),
                    settings.gateTimes(), settings));
            for (String metric : FIDELITY) {
                double x = fidelity(b, metric);
                double y = fidelity(a, metric);
                if (Double.isNaN(x) || Double.isNaN(y)) continue;
                Double tol = settings.tolerances().get(metric);
                out.add(new MetricChange(b.cell().id(), label, metric, x, y, Double.NaN,
                        tolerance(metric, x, y, tol == null ? Double.POSITIVE_INFINITY : tol), tol != null));
            }
        }
        List<String> fresh = after.keySet().stream().filter(id -> !before.containsKey(id)).toList();
        out.sort(Comparator.comparingInt(RunComparison::order).thenComparing(MetricChange::label)
                .thenComparing(MetricChange::metric));
        return new RunComparison(out, fresh, settings);
    }

    public List<MetricChange> changes() {
        return changes;
    }

    /** Gated values that got worse beyond their threshold, and cells that stopped running. */
    public List<MetricChange> regressions() {
        return changes.stream().filter(c -> c.gated() && c.mark().regression()).toList();
    }

    /** Cell ids that only the current run has (new cells: nothing to compare with). */
    public List<String> onlyInCurrent() {
        return onlyInCurrent;
    }

    /**
     * The table in asv's style, regressions first, with a summary line: every speedup and every
     * failed cell, and the other values where they changed beyond their threshold or are gated.
     */
    public String toText() {
        return toText(false);
    }

    /** As {@link #toText()}; with {@code all}, every compared value, unchanged and ungated ones too. */
    public String toText(boolean all) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%4s  %-14s %12s %12s %8s %9s  %s%n", "", "metric", "before", "after", "ratio",
                "p", "cell"));
        for (MetricChange c : changes) {
            boolean shown = all || c.metric().equals("speedup") || c.mark() == Mark.FAILED
                    || (c.gated() && c.mark() != Mark.SAME);
            if (!shown) continue;
            String mark = c.gated() ? c.mark().symbol() : " ";
            s.append(String.format(Locale.ROOT, "%4s  %-14s %12s %12s %8s %9s  %s%s%n", mark, c.metric(),
                    value(c.metric(), c.before()), value(c.metric(), c.after()), number(c.ratio(), "%.3f"),
                    number(c.pValue(), "%.1e"), c.label(), c.gated() ? "" : "  (not gated)"));
        }
        long worse = regressions().size();
        long better = changes.stream().filter(c -> c.gated() && c.mark() == Mark.BETTER).count();
        long unsure = changes.stream().filter(c -> c.gated() && c.mark() == Mark.NOT_SIGNIFICANT).count();
        s.append(String.format(Locale.ROOT,
                "%d regressions (+ worse, x failed), %d improvements (-), %d changed but not significant (~); "
                        + "factor %.2f, p < %s%s%n",
                worse, better, unsure, settings.factor(), settings.alpha(),
                onlyInCurrent.isEmpty() ? "" : "; " + onlyInCurrent.size() + " new cells not in the baseline"));
        return s.toString();
    }

    private static MetricChange timed(ResultRow b, String label, String metric, double before, double after, double[] xb,
            double[] xa, boolean gated, GateSettings settings) {
        double ratio = after / before;
        boolean beyond = ratio > settings.factor() || ratio < 1 / settings.factor();
        double p = xb.length > 1 && xa.length > 1 ? ChangeTest.mannWhitney(new Samples(xb), new Samples(xa)).pValue()
                : Double.NaN;
        Mark mark;
        if (!beyond) {
            mark = Mark.SAME;
        } else if (!(p < settings.alpha())) {
            mark = Mark.NOT_SIGNIFICANT;
        } else {
            boolean worse = metric.equals("speedup") ? ratio < 1 : ratio > 1;
            mark = worse ? Mark.WORSE : Mark.BETTER;
        }
        return new MetricChange(b.cell().id(), label, metric, before, after, p, mark, gated);
    }

    private static Mark tolerance(String metric, double before, double after, double tol) {
        double scale = Math.max(Math.abs(before), 1e-12);
        if (Math.abs(after - before) / scale <= tol) return Mark.SAME;
        boolean worse = HIGHER_IS_WORSE.contains(metric) ? after > before : after < before;
        return worse ? Mark.WORSE : Mark.BETTER;
    }

    /** The reference's median over each of the cell's samples, or null without a measured reference. */
    private static double[] speedupSamples(ResultRow r, Map<String, ResultRow> run) {
        String ref = r.cell().referenceId();
        if (ref == null || ref.equals(r.cell().id())) return null;
        ResultRow reference = run.get(ref);
        if (reference == null || !reference.ok()) return null;
        double median = reference.medianMs();
        double[] x = r.timing().samples();
        for (int i = 0; i < x.length; i++) x[i] = median / x[i];
        return x;
    }

    private static double fidelity(ResultRow r, String metric) {
        return switch (metric) {
            case "mse" -> r.quality().mse();
            case "max_abs" -> r.quality().maxAbs();
            case "cosine" -> r.quality().cosine();
            case "psnr_db" -> r.quality().psnrDb();
            case "hpf" -> r.quality().hpf();
            default -> throw new IllegalArgumentException(metric);
        };
    }

    private static int order(MetricChange c) {
        if (c.gated() && c.mark().regression()) return 0;
        if (c.gated() && c.mark() == Mark.BETTER) return 1;
        if (c.gated() && c.mark() == Mark.NOT_SIGNIFICANT) return 2;
        return 3;
    }

    static String label(ResultRow r) {
        var c = r.cell();
        String where = c.workload() == WorkloadKind.DENOISING ? c.model() + " " + c.imageSize() + "px" : c.workload() + " " + c.grid();
        return String.join(" ", c.backend(), c.device(), c.dtype(), where, c.label());
    }

    private static Map<String, ResultRow> byId(List<ResultRow> rows) {
        Map<String, ResultRow> m = new LinkedHashMap<>();
        for (ResultRow r : rows) m.put(r.cell().id(), r);
        return m;
    }

    private static String value(String metric, double v) {
        if (Double.isNaN(v)) return "-";
        return switch (metric) {
            case "speedup" -> String.format(Locale.ROOT, "%.3fx", v);
            case "time_ms", "missing" -> String.format(Locale.ROOT, "%.2fms", v);
            default -> metric.startsWith("status") ? String.format(Locale.ROOT, "%.2fms", v)
                    : String.format(Locale.ROOT, "%.4g", v);
        };
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
