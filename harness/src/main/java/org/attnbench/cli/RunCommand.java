package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.harness.AttentionSweep;
import org.attnbench.harness.SweepConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a benchmark configuration and prints its table. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a benchmark config (every backend x device x grid x variant), print the table, write rows.csv.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The configuration, e.g. configs/quickstart.yaml.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: results/runs).")
    Path out = Path.of("results", "runs");

    @Override
    public Integer call() {
        SweepConfig c = SweepConfig.load(config);
        AttentionSweep sweep = new AttentionSweep(c, System.out);
        System.out.println("attnbench run " + config + ": " + sweep.cells().size() + " cells");
        List<AttentionSweep.Row> rows = sweep.run();
        List<AttentionSweep.Summary> summaries = sweep.summarize(rows);
        sweep.printTable(summaries);
        Path dir = sweep.writeCsv(summaries, out);
        System.out.println();
        System.out.println("results: " + dir.resolve("rows.csv"));
        return rows.stream().anyMatch(r -> r.error() != null) ? 1 : 0;
    }
}
