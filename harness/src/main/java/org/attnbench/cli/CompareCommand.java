package org.attnbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
import org.attnbench.harness.gate.Baseline;
import org.attnbench.harness.gate.GateSettingsOf;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Compares two runs cell by cell in asv's style; exits 1 on a regression, 3 when the current run has failed cells. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare a run with a baseline, cell by cell: speedup over the reference cell (gated: a change "
                + "beyond the factor with Mann-Whitney U p below the threshold), fidelity (gated within tolerances), "
                + "time (shown; gated with --gate-times).",
            "Marks: + worse, - better, ~ changed but not significant, x failed or missing. Exit code 1 on a regression, "
                + "3 when the current run has failed cells."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--baseline", required = true, paramLabel = "RUN_OR_FILE",
            description = "A run folder, a baseline of several runs (e.g. results/baselines/gate, whose runs' spread then "
                    + "judges timed values), a folder with rows.jsonl or a .jsonl file.")
    Path baseline;

    @Option(names = "--current", required = true, paramLabel = "RUN_OR_FILE", description = "The run to judge.")
    Path current;

    @Option(names = "--factor", paramLabel = "F", description = "Smallest ratio that counts (default: the current run's "
            + "config, else 1.10).")
    Double factor;

    @Option(names = "--p-value", paramLabel = "P", description = "Significance level (default: the config's, else 0.01).")
    Double alpha;

    @Option(names = "--spread", paramLabel = "K", description = "Against a baseline of 3 or more runs: how many of their "
            + "standard deviations a timed value may move (default: the config's, else 4; 0: Mann-Whitney instead).")
    Double spread;

    @Option(names = "--gate-times", description = "Gate absolute median times too (they travel badly between machines).")
    boolean gateTimes;

    @Option(names = "--all", description = "List every compared value, unchanged and ungated ones too.")
    boolean all;

    @Option(names = "--json", description = "Print the verdict and every compared value as JSON on stdout "
            + "(schema: schemas/compare.schema.json); the table goes to stderr.")
    boolean json;

    @Override
    public Integer call() {
        GateSettings settings = settings();
        List<List<ResultRow>> before = Files.isDirectory(baseline) ? Baseline.runs(baseline) : List.of(rows(baseline, "--baseline"));
        if (before.get(before.size() - 1).isEmpty()) rows(baseline, "--baseline");
        List<ResultRow> after = rows(current, "--current");
        RunComparison c = RunComparison.ofHistory(before, after, settings);
        JsonOutput.human(json).print(c.toText(all));
        ComparisonJson result = ComparisonJson.of("compare", baseline, current, null, c, settings, after);
        if (json) JsonOutput.print(result);
        return result.exitCode();
    }

    /** A side's rows; one with none has nothing to compare (the wrong folder, or a run that never measured). */
    private static List<ResultRow> rows(Path path, String option) {
        List<ResultRow> rows = RowsFile.read(path);
        if (rows.isEmpty()) {
            throw new UserError(option + " " + path + " holds no result rows: nothing to compare; give a run that measured cells");
        }
        return rows;
    }

    private GateSettings settings() {
        GateSettings s = Files.isDirectory(current) ? GateSettingsOf.run(current) : GateSettings.DEFAULT;
        GateSettings g = Options.gate(s, factor, alpha, gateTimes);
        if (spread == null) return g;
        if (!(spread >= 0 && spread <= 100)) throw new UserError("--spread must be 0 to 100, got " + spread);
        return new GateSettings(g.factor(), g.alpha(), g.tolerances(), g.gateTimes(), spread, g.pairedRounds());
    }
}
