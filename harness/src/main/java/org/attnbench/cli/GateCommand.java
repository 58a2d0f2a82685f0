package org.attnbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.harness.gate.Baseline;
import org.attnbench.harness.sweep.Runs;
import org.attnbench.reports.compare.RunComparison;
import org.attnbench.store.RowsFile;
import org.attnbench.store.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The regression gate: runs configs/gate.yaml and compares it with the committed baseline. */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Run the gate sweep and compare it with the committed baseline (what 'mvn verify -Pbench' does); "
                + "exit code 1 on a regression.",
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

    @Override
    public Integer call() {
        if (!update) Baseline.require(baseline);
        SweepConfig c = SweepConfigReader.read(config, 1.0);
        CellPlan plan = CellPlan.of(c);
        Runs.requireDevices(plan);
        RunFolder run = Runs.start(c, plan, out != null ? out : Runs.defaultFolder(c, null), null, "attnbench gate");
        Runs.execute(run, plan, update ? null : baseline, System.out, System.console() != null);
        if (update) {
            Baseline.update(run, baseline);
            System.out.println("baseline updated: " + baseline + " (commit it)");
            return 0;
        }
        RunComparison comparison = RunComparison.of(RowsFile.read(baseline), run.rows(), c.gate());
        System.out.println();
        System.out.println("gate: " + run.dir() + " against the baseline " + baseline);
        System.out.print(comparison.toText());
        boolean pass = comparison.regressions().isEmpty();
        System.out.println(pass ? "gate passed" : "gate FAILED: " + comparison.regressions().size() + " regressions");
        return pass ? 0 : 1;
    }
}
