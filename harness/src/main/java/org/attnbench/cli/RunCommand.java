package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.harness.sweep.Runs;
import org.attnbench.harness.sweep.Shard;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a sweep (or resumes one), prints its table, and writes its results folder. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a sweep config: every backend x device x dtype x workload x variant, each cell timed by JMH "
                + "in its own JVM and recorded as it finishes, then print the table and write the report.",
            "Resume an interrupted run with --resume DIR; run one slice of a large sweep with --shard I/N."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "The sweep, e.g. configs/quickstart.yaml.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: <config out>/<time>-<name>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR: its recorded cells are kept, the others run.")
    Path resume;

    @Option(names = "--retry-failed", description = "With --resume: measure the cells recorded as failed again.")
    boolean retryFailed;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only slice I of N (see 'attnbench merge').")
    String shard;

    @Mixin
    ConfigEdits edits;

    @Override
    public Integer call() {
        RunFolder run;
        CellPlan plan;
        if (resume != null) {
            if (out != null || shard != null || edits.any()) {
                throw new UserError("--resume continues a run with its own folder, shard, scale and config: "
                        + "leave out --out, --shard, --scale and --set");
            }
            run = RunFolder.open(resume);
            RunManifest m = run.manifest();
            SweepConfig c = SweepConfigReader.parse(Path.of(m.configFile()), m.configText(), m.scale());
            if (config != null && !SweepConfigReader.read(config, m.scale()).text().equals(m.configText())) {
                throw new UserError(config + " differs from the config " + resume + " was started with; resume without "
                        + "CONFIG.yaml, or start a new run");
            }
            plan = plan(c, m.shard() == null ? null : Shard.parse(m.shard()));
            Runs.requireDevices(plan);
            Runs.resume(run, commandLine(), System.out);
            if (retryFailed) {
                run.rows().stream().filter(r -> r.status() == CellStatus.FAILED).forEach(r -> run.forget(r.cell().id()));
            }
        } else {
            if (config == null) throw new UserError("give a config (e.g. configs/quickstart.yaml) or --resume DIR");
            if (retryFailed) throw new UserError("--retry-failed goes with --resume DIR");
            SweepConfig c = SweepConfigReader.read(config, edits.scale, edits.overrides);
            Shard slice = shard == null ? null : Shard.parse(shard);
            plan = plan(c, slice);
            Runs.requireDevices(plan);
            Runs.requireMemory(plan);
            run = Runs.start(c, plan, out != null ? out : Runs.defaultFolder(c, slice), slice, commandLine());
        }
        List<ResultRow> rows = Runs.execute(run, plan, null, System.out, System.console() != null);
        long failed = rows.stream().filter(r -> r.status() == CellStatus.FAILED).count();
        if (failed == 0) return 0;
        System.out.println(failed + " cells failed (their reasons are in the table); exit code " + ExitCode.FAILED_CELLS);
        return ExitCode.FAILED_CELLS;
    }

    private static CellPlan plan(SweepConfig c, Shard slice) {
        CellPlan plan = CellPlan.of(c);
        return slice == null ? plan : plan.shard(slice.index(), slice.count());
    }

    private String commandLine() {
        StringBuilder s = new StringBuilder("attnbench run");
        if (config != null) s.append(' ').append(config);
        if (out != null) s.append(" --out ").append(out);
        if (resume != null) s.append(" --resume ").append(resume);
        if (retryFailed) s.append(" --retry-failed");
        if (shard != null) s.append(" --shard ").append(shard);
        if (edits.scale != 1) s.append(" --scale ").append(edits.scale);
        edits.overrides.forEach(o -> s.append(" --set ").append(o));
        return s.toString();
    }
}
