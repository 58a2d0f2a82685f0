package org.attnbench.harness.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.jmh.CellTask;
import org.attnbench.harness.jmh.JmhCellRunner;
import org.attnbench.harness.jmh.JmhSamples;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.CellWork;

/**
 * Runs the cells of a plan that the run folder does not hold yet, in plan order. Each cell is
 * timed by JMH in its own JVM and recorded the moment it finishes; a cell that fails is recorded
 * as failed, with its reason, and the sweep goes on. Rerunning on the same folder resumes: the
 * recorded cells are kept as they are and only the others run.
 */
public final class Sweep {
    private final CellPlan plan;
    private final RunFolder run;
    private final PrintStream out;
    private final boolean terminal;

    public Sweep(CellPlan plan, RunFolder run, PrintStream out, boolean terminal) {
        this.plan = plan;
        this.run = run;
        this.out = out;
        this.terminal = terminal;
    }

    /** Runs what is left; returns every recorded row of the run, in plan order. */
    public List<ResultRow> run() {
        Map<String, ResultRow> recorded = run.rowsById();
        List<Cell> todo = plan.cells().stream().filter(c -> !recorded.containsKey(c.id())).toList();
        int done = plan.cells().size() - todo.size();
        if (done > 0) out.println("resuming: " + done + " of " + plan.cells().size() + " cells already recorded");
        JmhCellRunner jmh = new JmhCellRunner(plan.config().timing());
        var extractor = plan.config().fidelity().extractor();
        CellWork work = new CellWork();
        todo.forEach(work::flops);
        // Planning built graphs (memory estimates, work): give that heap back to the OS before
        // the forks run, which need the machine's memory for the cells they time.
        System.gc();
        PromptEncodings prompts = PromptEncodings.prepare(run, plan.config(), todo, out);
        try (Progress progress = new Progress(out, plan.cells().size(), todo, work::flops, terminal);
                FeatureScores features = extractor == null || todo.isEmpty() ? null
                        : new FeatureScores(extractor, plan.config().prompts() != null ? plan.config().prompts().images()
                                : plan.config().fidelity().samples(),
                                plan.config().fidelity().referenceImages());
                ClipScores clip = plan.config().fidelity().clip() == null || todo.isEmpty() ? null
                        : new ClipScores(plan.config().fidelity().clip())) {
            Comparisons comparisons = new Comparisons(run, features, clip, plan.config().fidelity().metrics());
            var set = plan.config().prompts();
            RowBuilder rows = new RowBuilder(run, comparisons, w -> out.println("warning: " + w),
                    set == null ? null : "prompts " + set.describe());
            for (Cell cell : todo) {
                progress.started(cell);
                String startedAt = Instant.now().toString();
                Path dir = fresh(run.cellDir(cell.id()));
                Path task = CellTask.write(dir, plan.config(), cell, prompts.folderOf(cell));
                Optional<JmhSamples> samples = jmh.run(task, dir);
                ResultRow row = rows.build(cell, samples, startedAt);
                run.record(row);
                progress.finished(row);
            }
        }
        return ordered();
    }

    /** The recorded rows in plan order (cells outside the plan, if any, last). */
    public List<ResultRow> ordered() {
        Map<String, ResultRow> byId = run.rowsById();
        List<ResultRow> out = new ArrayList<>();
        for (Cell c : plan.cells()) {
            ResultRow r = byId.remove(c.id());
            if (r != null) out.add(r);
        }
        out.addAll(byId.values());
        return out;
    }

    /** Removes what an interrupted attempt at this cell left in its folder, but a record set aside as unreadable. */
    private static Path fresh(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                boolean setAside = f.getFileName().toString().startsWith(RunFolder.ROW + ".unreadable");
                if (Files.isRegularFile(f) && !setAside) Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
