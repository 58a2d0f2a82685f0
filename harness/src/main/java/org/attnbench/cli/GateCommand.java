package org.attnbench.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.harness.gate.Baseline;
import org.attnbench.harness.sweep.Runs;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.attnbench.store.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The regression gate: runs configs/gate.yaml and compares it with the committed baseline. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Run the gate sweep and compare it with the committed baseline (what 'mvn verify -Pbench' does); "
                + "exit code 1 on a regression, 3 when cells failed.",
            "--update-baseline replaces the baseline with this run instead, on purpose."})
final class GateCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "CONFIG.yaml", defaultValue = "configs/gate.yaml",
            description = "The gate sweep (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--baseline", paramLabel = "DIR", description = "Baseline folder (default: results/baselines/gate).")
    Path baseline = Baseline.DEFAULT;

    @Option(names = "--out", paramLabel = "DIR", description = "This run's folder (default: results/runs/<time>-gate).")
    Path out;

    @Option(names = "--update-baseline", description = "Write this run as the new baseline instead of comparing.")
    boolean update;

    @Option(names = "--json", description = "Print the verdict and every compared value as JSON on stdout "
            + "(schema: schemas/gate.schema.json); progress and the table go to stderr.")
    boolean json;

    @Override
    public Integer call() {
        if (!update) Baseline.require(baseline);
        SweepConfig c = SweepConfigReader.read(config, 1.0);
        CellPlan plan = CellPlan.of(c);
        Runs.requireDevices(plan);
        PrintStream human = JsonOutput.human(json);
        RunFolder run = Runs.start(c, plan, out != null ? out : Runs.defaultFolder(c, null), null, "attnbench gate");
        List<ResultRow> rows = Runs.execute(run, plan, update ? null : baseline, human, !json && System.console() != null);
        if (update) {
            Baseline.update(run, baseline);
            human.println("baseline updated: " + baseline + " (commit it)");
            ComparisonJson result = ComparisonJson.baselineUpdated(baseline, run.dir(), config, c.gate(), rows);
            if (json) JsonOutput.print(result);
            return result.exitCode();
        }
        RunComparison comparison = RunComparison.of(RowsFile.read(baseline), rows, c.gate());
        ComparisonJson result = ComparisonJson.of("gate", baseline, run.dir(), config, comparison, c.gate(), rows);
        human.println();
        human.println("gate: " + run.dir() + " against the baseline " + baseline);
        human.print(comparison.toText());
        human.println(switch (result.exitCode()) {
            case ExitCode.OK -> "gate passed";
            case ExitCode.CHECK_FAILED -> "gate FAILED: " + comparison.regressions().size() + " regressions";
            default -> "gate FAILED: " + result.failedCells().size() + " cells failed (their reasons are in the table)";
        });
        if (json) JsonOutput.print(result);
        return result.exitCode();
    }
}
