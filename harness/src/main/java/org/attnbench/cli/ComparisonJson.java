package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.reports.compare.Mark;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;

/**
 * What {@code compare --json} and {@code gate --json} print: the verdict, its exit code, the
 * settings and every compared value. Schemas: {@code schemas/compare.schema.json} and
 * {@code schemas/gate.schema.json} in the store module's resources.
 *
 * @param verdict {@code pass}, {@code regression}, {@code failed_cells} (or {@code baseline_updated} for the gate)
 * @param current the run judged (the gate's own run folder)
 * @param config the gate's sweep config, null for compare
 */
record ComparisonJson(int schemaVersion, String command, String verdict, int exitCode, String baseline, String current,
        String config, Settings settings, Counts counts, List<Change> changes, List<String> failedCells,
        List<String> newCells) {
    static final int SCHEMA_VERSION = 1;

    record Settings(double factor, double pValue, Map<String, Double> tolerances, boolean gateTimes) {}

    record Counts(int regressions, int improvements, int notSignificant, int failedCells, int newCells) {}

    /** One compared value; {@code mark} is {@code worse}, {@code better}, {@code not_significant}, {@code same} or {@code failed}. */
    record Change(String cellId, String label, String metric, double before, double after, double ratio, double pValue,
            String mark, boolean gated, boolean regression) {}

    static ComparisonJson of(String command, Path baseline, Path current, Path config, RunComparison c, GateSettings s,
            List<ResultRow> currentRows) {
        List<String> failed = failedCells(currentRows);
        int code = exitCode(c, currentRows);
        List<Change> changes = c.changes().stream().map(m -> new Change(m.cellId(), m.label(), m.metric(), m.before(),
                m.after(), m.ratio(), m.pValue(), m.mark().name().toLowerCase(Locale.ROOT), m.gated(),
                m.gated() && m.mark().regression())).toList();
        long better = c.changes().stream().filter(m -> m.gated() && m.mark() == Mark.BETTER).count();
        long unsure = c.changes().stream()
                .filter(m -> m.gated() && m.mark() == Mark.NOT_SIGNIFICANT).count();
        return new ComparisonJson(SCHEMA_VERSION, command, verdict(code), code, baseline.toString(), current.toString(),
                config == null ? null : config.toString(), new Settings(s.factor(), s.alpha(), s.tolerances(), s.gateTimes()),
                new Counts(c.regressions().size(), (int) better, (int) unsure, failed.size(), c.onlyInCurrent().size()),
                changes, failed, c.onlyInCurrent());
    }

    /** The gate's answer when it rewrote the baseline instead of comparing. */
    static ComparisonJson baselineUpdated(Path baseline, Path run, Path config, GateSettings s, List<ResultRow> rows) {
        List<String> failed = failedCells(rows);
        int code = failed.isEmpty() ? ExitCode.OK : ExitCode.FAILED_CELLS;
        return new ComparisonJson(SCHEMA_VERSION, "gate", failed.isEmpty() ? "baseline_updated" : "failed_cells", code,
                baseline.toString(), run.toString(), config.toString(),
                new Settings(s.factor(), s.alpha(), s.tolerances(), s.gateTimes()), new Counts(0, 0, 0, failed.size(), 0),
                List.of(), failed, List.of());
    }

    /** 3 when the judged run has failed cells (it is incomplete), else 1 on a regression, else 0. */
    static int exitCode(RunComparison c, List<ResultRow> currentRows) {
        if (!failedCells(currentRows).isEmpty()) return ExitCode.FAILED_CELLS;
        return c.regressions().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }

    private static String verdict(int code) {
        return switch (code) {
            case ExitCode.OK -> "pass";
            case ExitCode.CHECK_FAILED -> "regression";
            default -> "failed_cells";
        };
    }

    static List<String> failedCells(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.status() == CellStatus.FAILED).map(r -> r.cell().id()).toList();
    }
}
