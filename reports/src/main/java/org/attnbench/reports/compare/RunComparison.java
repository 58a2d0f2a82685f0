package org.attnbench.reports.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /** Baseline runs from which on timed values are judged by their run-to-run spread. */
    public static final int HISTORY_RUNS = 3;
    static final String SPEEDUP = "speedup";
    static final String PER_GEMM = "time_per_gemm";

    private final List<MetricChange> changes;
    private final List<String> onlyInCurrent;
    private final GateSettings settings;
    private final int baselineRuns;
    private final boolean history;

    private RunComparison(List<MetricChange> changes, List<String> onlyInCurrent, GateSettings settings,
            int baselineRuns, boolean history) {
        this.changes = List.copyOf(changes);
        this.onlyInCurrent = List.copyOf(onlyInCurrent);
        this.settings = settings;
        this.baselineRuns = baselineRuns;
        this.history = history;
    }

    /** How many runs the baseline held. */
    public int baselineRuns() {
        return baselineRuns;
    }

    /** Whether timed values were judged by the baseline runs' spread (else by Mann-Whitney U against the latest). */
    public boolean byHistory() {
        return history;
    }

    public static RunComparison of(List<ResultRow> baseline, List<ResultRow> current, GateSettings settings) {
        return ofHistory(List.of(baseline), current, settings);
    }

    /**
     * The current run against a baseline of one or more runs of the same sweep (oldest first). Cells
     * and fidelity values are those of the latest baseline run; timed values are judged against all
     * of them when there are at least {@value #HISTORY_RUNS} (the spread rule of {@link GateSettings}),
     * else against the latest with Mann-Whitney U.
     */
    public static RunComparison ofHistory(List<List<ResultRow>> baselineRuns, List<ResultRow> current, GateSettings settings) {
        List<Map<String, ResultRow>> runs = baselineRuns.stream().map(RunComparison::byId).toList();
        Map<String, ResultRow> before = runs.get(runs.size() - 1);
        boolean history = runs.size() >= HISTORY_RUNS && settings.spread() > 0;
        Map<String, ResultRow> after = byId(current);
        List<MetricChange> out = new ArrayList<>();
        for (ResultRow b : before.values()) {
            if (!b.ok()) continue;
            ResultRow a = after.get(b.cell().id());
            String label = label(b);
            if (a == null || !a.ok()) {
                out.add(new MetricChange(b.cell().id(), label, a == null ? "missing" : "status: " + a.error(),
                        b.medianMs(), Double.NaN, Double.NaN, Mark.FAILED, true, Double.NaN));
                continue;
            }
            String id = b.cell().id();
            if (history) {
                for (String metric : List.of(SPEEDUP, PER_GEMM)) {
                    boolean paired = settings.pairedRounds();
                    double now = timedValue(metric, id, after, paired);
                    double[] then = runs.stream().mapToDouble(r -> timedValue(metric, id, r, paired)).filter(v -> v > 0)
                            .toArray();
                    if (now > 0 && then.length >= HISTORY_RUNS) {
                        out.add(spreadRule(id, label, metric, then, now, settings));
                    }
                }
            } else {
                double[] sb = speedupSamples(b, before);
                double[] sa = speedupSamples(a, after);
                if (sb != null && sa != null) {
                    out.add(timed(b, label, SPEEDUP, timedValue(SPEEDUP, id, before, false),
                            timedValue(SPEEDUP, id, after, false),
                            sb, sa, true, settings));
                }
            }
            out.add(timed(b, label, "time_ms", b.medianMs(), a.medianMs(), b.timing().samples(), a.timing().samples(),
                    settings.gateTimes(), settings));
            for (String metric : FIDELITY) {
                double x = fidelity(b, metric);
                double y = fidelity(a, metric);
                if (Double.isNaN(x) || Double.isNaN(y)) continue;
                Double tol = settings.tolerances().get(metric);
                out.add(new MetricChange(b.cell().id(), label, metric, x, y, Double.NaN,
                        tolerance(metric, x, y, tol == null ? Double.POSITIVE_INFINITY : tol), tol != null, Double.NaN));
            }
        }
        if (history) out.addAll(acrossCells(runs, after, settings));
        List<String> fresh = after.keySet().stream().filter(id -> !before.containsKey(id)).toList();
        out.sort(Comparator.comparingInt(RunComparison::order).thenComparing(MetricChange::label)
                .thenComparing(MetricChange::metric));
        return new RunComparison(out, fresh, settings, runs.size(), history);
    }

    /**
     * A timed value against the baseline runs' values: it counts when its logarithm is further from
     * their mean than {@code spread} standard deviations, widened by sqrt(1 + 1/K) for a new run
     * against K (a prediction interval's width), and never within {@code factor}.
     */
    private static MetricChange spreadRule(String id, String label, String metric, double[] then, double now,
            GateSettings settings) {
        double[] logs = Arrays.stream(then).map(Math::log).toArray();
        double mean = Arrays.stream(logs).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / (logs.length - 1));
        double limit = Math.max(Math.log(settings.factor()), settings.spread() * sd * Math.sqrt(1 + 1.0 / logs.length));
        double d = Math.log(now) - mean;
        Mark mark = Mark.SAME;
        if (Math.abs(d) > limit) {
            boolean worse = metric.equals(SPEEDUP) ? d < 0 : d > 0;
            mark = worse ? Mark.WORSE : Mark.BETTER;
        }
        return new MetricChange(id, label, metric, Math.exp(mean), now, Double.NaN, mark, true, Math.exp(limit));
    }

    /**
     * Each variant's timed values over all its cells at once (every backend and workload it ran on,
     * one device and dtype): the geometric mean of its cells' values, in each baseline run and now,
     * judged by the same spread rule. A change in a method moves every one of its cells alike, so
     * the mean moves as much as each of them while their independent noise partly cancels: a
     * slowdown that one noisy cell's limit would hide shows here. Only cells with the value in
     * every run count; a variant needs two. Its id is {@code all|DEVICE|DTYPE|VARIANT}.
     */
    private static List<MetricChange> acrossCells(List<Map<String, ResultRow>> runs, Map<String, ResultRow> after,
            GateSettings settings) {
        boolean paired = settings.pairedRounds();
        Map<String, ResultRow> latest = runs.get(runs.size() - 1);
        List<MetricChange> out = new ArrayList<>();
        for (String metric : List.of(SPEEDUP, PER_GEMM)) {
            Map<String, List<String>> cellsOf = new TreeMap<>();
            for (ResultRow b : latest.values()) {
                String id = b.cell().id();
                boolean everywhere = timedValue(metric, id, after, paired) > 0
                        && runs.stream().allMatch(r -> timedValue(metric, id, r, paired) > 0);
                if (everywhere) {
                    String group = String.join("|", "all", b.cell().device(), b.cell().dtype(), b.cell().label());
                    cellsOf.computeIfAbsent(group, g -> new ArrayList<>()).add(id);
                }
            }
            cellsOf.forEach((group, ids) -> {
                if (ids.size() < 2) return;
                double[] then = runs.stream().mapToDouble(r -> geometricMean(metric, ids, r, paired)).toArray();
                double now = geometricMean(metric, ids, after, paired);
                String[] parts = group.split("\\|", 4);
                String label = String.join(" ", parts[1], parts[2], "all " + ids.size() + " cells of", parts[3]);
                out.add(spreadRule(group, label, metric, then, now, settings));
            });
        }
        return out;
    }

    private static double geometricMean(String metric, List<String> ids, Map<String, ResultRow> run, boolean paired) {
        return Math.exp(ids.stream().mapToDouble(id -> Math.log(timedValue(metric, id, run, paired))).average()
                .orElseThrow());
    }

    /**
     * A cell's timed value in one run, from the samples (so a baseline whose samples were edited
     * says what they now say): {@value #SPEEDUP}, its reference's time over its own; {@value
     * #PER_GEMM}, for a cell that is no other's variant, its time over the GEMM ceiling's of the same
     * backend, device and dtype measured in the same run, which moves when every cell slows alike;
     * NaN where the run lacks what it needs. {@code paired}: the median of the per-round ratios when
     * both cells have as many samples from as many forks; else the ratio of their medians.
     */
    static double timedValue(String metric, String id, Map<String, ResultRow> run, boolean paired) {
        ResultRow r = run.get(id);
        if (r == null || !r.ok() || r.cell().workload() == WorkloadKind.CEILING) return Double.NaN;
        String ref = r.cell().referenceId();
        boolean variant = ref != null && !ref.equals(id);
        ResultRow other = metric.equals(SPEEDUP) ? (variant ? run.get(ref) : null)
                : (variant ? null : gemmOf(r, run));
        if (other == null || !other.ok()) return Double.NaN;
        double[] mine = r.timing().samples();
        double[] theirs = other.timing().samples();
        boolean speedup = metric.equals(SPEEDUP);
        if (paired && mine.length == theirs.length && r.timing().forks() == other.timing().forks()) {
            double[] ratios = new double[mine.length];
            for (int i = 0; i < mine.length; i++) ratios[i] = speedup ? theirs[i] / mine[i] : mine[i] / theirs[i];
            return new Samples(ratios).median();
        }
        double m = new Samples(mine).median();
        double t = new Samples(theirs).median();
        return speedup ? t / m : m / t;
    }

    private static ResultRow gemmOf(ResultRow r, Map<String, ResultRow> run) {
        for (ResultRow c : run.values()) {
            var x = c.cell();
            if (x.workload() == WorkloadKind.CEILING && "gemm".equals(x.model()) && x.backend().equals(r.cell().backend())
                    && x.device().equals(r.cell().device()) && x.dtype().equals(r.cell().dtype())) {
                return c;
            }
        }
        return null;
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
        String test = history ? "limit" : "p";
        s.append(String.format(Locale.ROOT, "%4s  %-14s %12s %12s %8s %9s  %s%n", "", "metric", "before", "after", "ratio",
                test, "cell"));
        for (MetricChange c : changes) {
            boolean shown = all || c.metric().equals(SPEEDUP) || c.metric().equals(PER_GEMM) || c.mark() == Mark.FAILED
                    || (c.gated() && c.mark() != Mark.SAME);
            if (!shown) continue;
            String mark = c.gated() ? c.mark().symbol() : " ";
            String judged = Double.isNaN(c.threshold()) ? number(c.pValue(), "%.1e") : number(c.threshold(), "x%.3f");
            s.append(String.format(Locale.ROOT, "%4s  %-14s %12s %12s %8s %9s  %s%s%n", mark, c.metric(),
                    value(c.metric(), c.before()), value(c.metric(), c.after()), number(c.ratio(), "%.3f"),
                    judged, c.label(), c.gated() ? "" : "  (not gated)"));
        }
        long worse = regressions().size();
        long better = changes.stream().filter(c -> c.gated() && c.mark() == Mark.BETTER).count();
        long unsure = changes.stream().filter(c -> c.gated() && c.mark() == Mark.NOT_SIGNIFICANT).count();
        String rule = history
                ? String.format(Locale.ROOT, "timed values against %d baseline runs: beyond %.1f of their standard "
                        + "deviations and at least %.2fx", baselineRuns, settings.spread(), settings.factor())
                : String.format(Locale.ROOT, "factor %.2f, p < %s", settings.factor(), settings.alpha());
        s.append(String.format(Locale.ROOT,
                "%d regressions (+ worse, x failed), %d improvements (-), %d changed but not significant (~); %s%s%n",
                worse, better, unsure, rule,
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
        return new MetricChange(b.cell().id(), label, metric, before, after, p, mark, gated, Double.NaN);
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
            case "speedup", "time_per_gemm" -> String.format(Locale.ROOT, "%.3fx", v);
            case "time_ms", "missing" -> String.format(Locale.ROOT, "%.2fms", v);
            default -> metric.startsWith("status") ? String.format(Locale.ROOT, "%.2fms", v)
                    : String.format(Locale.ROOT, "%.4g", v);
        };
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
