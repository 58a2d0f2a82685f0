package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.harness.sweep.RunMerge;
import org.attnbench.harness.sweep.Runs;
import org.attnbench.harness.sweep.Summary;
import org.attnbench.store.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Combines the shard runs of one sweep into one run folder. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine the run folders of 'attnbench run --shard I/N' (same config) into one run; lists cells no shard holds.")
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN_DIR")
    List<Path> shards;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "The merged run folder (must not exist yet).")
    Path out;

    @Override
    public Integer call() {
        RunFolder merged = RunMerge.merge(shards, out, System.out);
        Summary.print(merged.rows(), System.out);
        System.out.println("results: " + merged.dir().resolve(RunFolder.ROWS_CSV));
        Runs.report(merged, null, System.out);
        return 0;
    }
}
