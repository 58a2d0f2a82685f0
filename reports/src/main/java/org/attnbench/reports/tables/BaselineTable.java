package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.attnbench.reports.compare.Mark;
import org.attnbench.reports.compare.MetricChange;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunManifest;

/** The comparison with a baseline run as a table, regressions first, in asv's terms. */
public final class BaselineTable {
    private BaselineTable() {}

    /** What the baseline is, and a warning when it ran elsewhere. */
    public static Block.Paragraph intro(RunData run, RunData baseline, RunComparison c) {
        RunManifest b = baseline.manifest();
        String commit = b.git() == null ? "unknown commit" : "commit " + shortCommit(b.git().commit());
        String same = b.machine() != null && run.manifest().machine() != null
                && b.machine().summary().equals(run.manifest().machine().summary()) ? ""
                : " The baseline ran on a different machine (" + (b.machine() == null ? "unknown" : b.machine().summary())
                + "): compare speedups and fidelity, not absolute times.";
        return new Block.Paragraph(String.format(Locale.ROOT,
                "Baseline: run %s (%s, finished %s, %d cells). %d regression(s), %d improvement(s); %d cell(s) are new"
                        + " in this run.%s",
                b.name(), commit, b.finishedAt() == null ? "not finished" : b.finishedAt(), baseline.rows().size(),
                c.regressions().size(),
                c.changes().stream().filter(x -> x.gated() && x.mark() == Mark.BETTER).count(), c.onlyInCurrent().size(),
                same));
    }

    public static Block.TableBlock table(RunData run, RunComparison c) {
        Labels labels = new Labels(run.rows());
        TextTable t = new TextTable("baseline", "verdict", "cell", "measure", "baseline", "this run", "ratio", "p");
        long same = c.changes().stream().filter(m -> m.mark() == Mark.SAME).count();
        for (MetricChange m : c.changes()) {
            if (m.mark() == Mark.SAME) continue;
            String cell = run.byId(m.cellId()).map(ResultRow::cell).map(labels::cell).orElse(m.label());
            t.add(verdict(m), cell, m.metric(), value(m.metric(), m.before()), value(m.metric(), m.after()),
                    Numbers.known(m.ratio()) ? String.format(Locale.ROOT, "%.3f", m.ratio()) : "–",
                    Numbers.known(m.pValue()) ? String.format(Locale.ROOT, "%.1e", m.pValue()) : "–");
        }
        List<String> fresh = new ArrayList<>(c.onlyInCurrent());
        return new Block.TableBlock("baseline", "Changes against the baseline",
                "Cells match by id. Speedups and median times count as changed beyond a factor of 1.10 with a"
                        + " Mann-Whitney U p below 0.01 (asv's rule); fidelity beyond its tolerance. Median times are"
                        + " shown but not gated. " + same + " value(s) within their thresholds are not listed."
                        + (fresh.isEmpty() ? "" : " New cells (" + fresh.size()
                        + ") have nothing to compare with and are not listed."),
                t.build());
    }

    private static String verdict(MetricChange m) {
        String gated = m.gated() ? "" : " (not gated)";
        return switch (m.mark()) {
            case FAILED -> "regression: " + (m.metric().equals("missing") ? "cell missing now" : "failed now");
            case WORSE -> m.gated() ? "regression" : "worse" + gated;
            case BETTER -> m.gated() ? "improvement" : "better" + gated;
            case NOT_SIGNIFICANT -> "changed, not significant" + gated;
            case SAME -> "same" + gated;
        };
    }

    private static String value(String metric, double v) {
        if (!Numbers.known(v)) return metric.equals("missing") ? "missing" : metric.startsWith("status") ? "failed" : "–";
        return switch (metric) {
            case "speedup" -> Numbers.speedup(v);
            case "time_ms", "missing" -> Numbers.ms(v);
            default -> metric.startsWith("status") ? Numbers.ms(v) : Numbers.sig(v);
        };
    }

    private static String shortCommit(String commit) {
        return commit != null && commit.length() > 12 ? commit.substring(0, 12) : String.valueOf(commit);
    }
}
