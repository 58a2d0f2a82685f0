package org.attnbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
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
            description = "A run folder, a folder with rows.jsonl (e.g. results/baselines/gate) or a .jsonl file.")
    Path baseline;

    @Option(names = "--current", required = true, paramLabel = "RUN_OR_FILE", description = "The run to judge.")
    Path current;

    @Option(names = "--factor", paramLabel = "F", description = "Smallest ratio that counts (default: the current run's "
            + "config, else 1.10).")
    Double factor;

    @Option(names = "--p-value", paramLabel = "P", description = "Significance level (default: the config's, else 0.01).")
    Double alpha;

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
        List<ResultRow> before = rows(baseline, "--baseline");
        List<ResultRow> after = rows(current, "--current");
        RunComparison c = RunComparison.of(before, after, settings);
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
        return Options.gate(s, factor, alpha, gateTimes);
    }
}
