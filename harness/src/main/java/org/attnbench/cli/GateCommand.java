package org.attnbench.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.core.UserError;
import java.util.concurrent.Callable;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.harness.gate.Baseline;
import org.attnbench.harness.sweep.Runs;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.store.ResultRow;
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

    @Option(names = "--update-baseline", description = "Run the gate --runs times and write those runs as the new "
            + "baseline instead of comparing; their spread is what later runs are judged against.")
    boolean update;

    @Option(names = "--add-to-baseline", description = "Run the gate --runs times (default 1) and add those runs to the "
            + "baseline's, as one more measure of their spread, instead of comparing.")
    boolean add;

    @Option(names = "--runs", paramLabel = "N",
            description = "With --update-baseline (default 5; at least 3 for the spread rule) or --add-to-baseline "
                    + "(default 1): how many runs to take.")
    Integer runs;

    @Option(names = "--json", description = "Print the verdict and every compared value as JSON on stdout "
            + "(schema: schemas/gate.schema.json); progress and the table go to stderr.")
    boolean json;

    @Override
    public Integer call() {
        if (update && add) throw new UserError("--update-baseline and --add-to-baseline exclude each other: give one");
        if (!update) Baseline.require(baseline);
        boolean writes = update || add;
        int n = runs != null ? runs : update ? 5 : 1;
        if (runs != null && !writes) throw new UserError("--runs goes with --update-baseline or --add-to-baseline");
        SweepConfig c = SweepConfigReader.read(config, 1.0);
        CellPlan plan = CellPlan.of(c);
        Runs.requireDevices(plan);
        PrintStream human = JsonOutput.human(json);
        if (n < 1 || n > 100) throw new UserError("--runs must be 1 to 100, got " + n);
        List<RunFolder> taken = new ArrayList<>();
        List<ResultRow> rows = List.of();
        for (int i = 0; i < (writes ? n : 1); i++) {
            if (writes) human.println("baseline run " + (i + 1) + " of " + n);
            Path dir = out != null ? (writes && n > 1 ? out.resolveSibling(out.getFileName() + "-" + (i + 1)) : out)
                    : Runs.defaultFolder(c, null);
            RunFolder run = Runs.start(c, plan, dir, null, "attnbench gate");
            rows = Runs.execute(run, plan, update ? null : baseline, human, !json && System.console() != null);
            taken.add(run);
            if (writes && !ComparisonJson.failedCells(rows).isEmpty()) break;
        }
        RunFolder run = taken.get(taken.size() - 1);
        GateSettings settings = c.gate().withPairedRounds(c.timing().interleave());
        if (writes) {
            ComparisonJson result = ComparisonJson.baselineUpdated(baseline, run.dir(), config, settings, rows);
            if (result.exitCode() == ExitCode.OK) {
                if (update) Baseline.update(taken, baseline);
                else Baseline.add(taken, baseline);
                human.println("baseline " + (update ? "updated" : "extended") + ": " + baseline + " ("
                        + Baseline.runs(baseline).size() + " runs; commit it)");
            } else {
                human.println("baseline NOT updated: cells failed in " + run.dir());
            }
            if (json) JsonOutput.print(result);
            return result.exitCode();
        }
        RunComparison comparison = RunComparison.ofHistory(Baseline.runs(baseline), rows, settings);
        ComparisonJson result = ComparisonJson.of("gate", baseline, run.dir(), config, comparison, settings, rows);
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
