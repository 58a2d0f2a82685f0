package org.attnbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.attnbench.harness.gate.GateSettingsOf;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.store.RowsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Compares two runs cell by cell in asv's style; exits 1 on a regression. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare a run with a baseline, cell by cell: speedup over the reference cell (gated: a change "
                + "beyond the factor with Mann-Whitney U p below the threshold), fidelity (gated within tolerances), "
                + "time (shown; gated with --gate-times).",
            "Marks: + worse, - better, ~ changed but not significant, x failed or missing. Exit code 1 on a regression."})
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

    @Override
    public Integer call() {
        RunComparison c = RunComparison.of(RowsFile.read(baseline), RowsFile.read(current), settings());
        System.out.print(c.toText(all));
        return c.regressions().isEmpty() ? 0 : 1;
    }

    private GateSettings settings() {
        GateSettings s = Files.isDirectory(current) ? GateSettingsOf.run(current) : GateSettings.DEFAULT;
        return Options.gate(s, factor, alpha, gateTimes);
    }
}
