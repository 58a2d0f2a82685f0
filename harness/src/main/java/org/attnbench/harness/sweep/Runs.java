package org.attnbench.harness.sweep;

import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.ConfigError;
import org.attnbench.harness.config.Problem;
import org.attnbench.harness.config.PromptSettings;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.metrics.cost.MemoryEstimate;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.reports.Format;
import org.attnbench.reports.Report;
import org.attnbench.store.GitState;
import org.attnbench.store.Machine;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;
import org.attnbench.store.Session;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.CellMemory;
import org.attnbench.workloads.Point;
import org.attnbench.workloads.Workload;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;

/** Starting and finishing run folders: where they go, their manifest, a copy of the config. */
public final class Runs {
    public static final String VERSION = "0.1.0";
    public static final String CONFIG_COPY = "config.yaml";

    private Runs() {}

    /** results/runs/20261129-183000-NAME (with -shard-I-of-N for a shard). */
    public static Path defaultFolder(SweepConfig config, Shard shard) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return config.outRoot().resolve(stamp + "-" + config.name() + (shard == null ? "" : "-" + shard.slug()));
    }

    /** A new run folder with its manifest and a verbatim copy of the config. */
    public static RunFolder start(SweepConfig config, CellPlan plan, Path dir, Shard shard, String command) {
        RunFolder run = RunFolder.create(dir);
        Session session = session(command);
        run.writeManifest(new RunManifest(config.name(), config.file().toString(), RunFolder.sha256(config.text()),
                config.text(), config.scale(), command, session.git(), Machine.current(), versions(plan),
                shard == null ? null : shard.toString(), null, plan.cells().size(), session.startedAt(), null,
                List.of(session)));
        try {
            Files.writeString(dir.resolve(CONFIG_COPY), config.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }

    /**
     * Runs what is left of the plan in the folder, finishes the manifest, prints the table and
     * writes the report (comparing with {@code baseline} when given, else null).
     */
    public static List<ResultRow> execute(RunFolder run, CellPlan plan, Path baseline, PrintStream out, boolean terminal) {
        out.println("attnbench run " + plan.config().name() + ": " + plan.cells().size() + " cells -> " + run.dir());
        List<ResultRow> rows = new Sweep(plan, run, out, terminal).run();
        finish(run, plan.config(), rows);
        out.println();
        Summary.print(rows, out);
        out.println();
        out.println("results: " + run.dir().resolve(RunFolder.ROWS_CSV));
        report(run, baseline, out);
        return rows;
    }

    /** Writes the run's report into it and prints where; a report that cannot be drawn never fails the run. */
    public static void report(RunFolder run, Path baseline, PrintStream out) {
        try {
            out.println("report: " + Report.write(run.dir(), baseline, null, Format.both()));
        } catch (RuntimeException | LinkageError | AWTError e) {
            out.println("report: not written (" + e + "); retry with 'attnbench report " + run.dir() + "'");
        }
    }

    /** This session: now, the checkout's commit, this machine. */
    public static Session session(String command) {
        return new Session(command, Instant.now().toString(), GitState.of(Path.of(System.getProperty("attnbench.home", ""))),
                Machine.current().summary());
    }

    /**
     * Records a resume in the manifest, warning when it runs on other code or another machine
     * than the run began with: speedups between cells of different sessions then mix conditions.
     * A cell record that cannot be read (a crash cut it short) is set aside with a warning, and its
     * cell is measured again.
     */
    public static void resume(RunFolder run, String command, PrintStream out) {
        run.setAsideUnreadable().forEach(note -> out.println("warning: " + note));
        RunManifest m = run.manifest();
        Session now = session(command);
        Session first = m.sessions().isEmpty() ? null : m.sessions().get(0);
        if (first != null && !first.sameConditions(now)) {
            out.println("warning: this run began on " + first.git().commit() + (first.git().dirty() ? " (dirty)" : "") + ", "
                    + first.machine() + "; it resumes on " + now.git().commit() + (now.git().dirty() ? " (dirty)" : "") + ", "
                    + now.machine() + ": cells measured now are compared with cells measured then");
        }
        run.writeManifest(m.resumed(now));
    }

    /** Rewrites the rows files in plan order (whatever a kill interrupted), drops outputs not to be kept, and closes the manifest. */
    static void finish(RunFolder run, SweepConfig config, List<ResultRow> rows) {
        if (!config.fidelity().saveOutputs() || !config.fidelity().saveImages()) {
            rows = dropOutputs(run, rows, !config.fidelity().saveOutputs(), !config.fidelity().saveImages());
        }
        run.writeRows(rows);
        run.writeManifest(run.manifest().finished(Instant.now().toString()));
    }

    /**
     * Every backend and device the plan uses must be usable here: one line per backend and device
     * that is not, with what it lacks (each missing piece and how to get it) and the fix, all at once.
     */
    public static void requireDevices(CellPlan plan) {
        Set<String> checked = new LinkedHashSet<>();
        List<Problem> problems = new ArrayList<>();
        for (Cell c : plan.cells()) {
            if (!checked.add(c.backend() + "|" + c.device())) continue;
            try {
                Backends.requireAvailable(Backends.byName(c.backend()), c.device());
            } catch (UserError e) {
                problems.add(Problem.of(plan.config().file().toString(), e.getMessage() + "; remove " + c.device()
                        + " from 'devices' or run on a machine that has it"));
            }
        }
        if (!problems.isEmpty()) throw new ConfigError(problems);
    }

    /**
     * Refuses cells whose graphs cannot fit their device's memory, all of them in one error (a line
     * each, at the workload the cell comes from, with the estimate and the fix), before anything
     * runs. A cell that still runs out of memory is recorded as failed and the sweep goes on.
     */
    public static void requireMemory(CellPlan plan) {
        CellMemory memory = new CellMemory();
        PromptSettings prompts = plan.config().prompts();
        Map<String, MemoryEstimate> encoders = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Cell cell : plan.measured()) {
            for (String p : memory.problems(List.of(cell), c -> encoding(c, prompts, encoders))) {
                problems.add(plan.config().problemAt(workload(cell), p));
            }
        }
        if (!problems.isEmpty()) throw new ConfigError(problems);
    }

    /**
     * With prompts, what encoding a denoising cell's prompts needs ({@link PromptEncoder#memory}): it runs
     * before the cell in a process of its own, so it is checked apart, never added; null otherwise.
     */
    private static MemoryEstimate encoding(Cell cell, PromptSettings prompts, Map<String, MemoryEstimate> byPipeline) {
        if (prompts == null || !(cell.point() instanceof Point.Denoising u) || u.workload().pipeline() == null) return null;
        Workload.Denoising w = u.workload();
        return byPipeline.computeIfAbsent(w.pipeline().toAbsolutePath().normalize() + "|" + w.weightsVariant(), k -> {
            PipelineFolder folder = PipelineFolder.open(w.pipeline(), w.weightsVariant());
            return PromptEncoder.of(folder, TextEncoders.of(folder, null, null), prompts.maxSequenceLength(), x -> {}).memory();
        });
    }

    private static Workload workload(Cell cell) {
        if (cell.point() instanceof Point.Attention a) return a.workload();
        if (cell.point() instanceof Point.Denoising u) return u.workload();
        return null;
    }

    /** attnbench's version and every runtime library the plan's backends use. */
    static Map<String, String> versions(CellPlan plan) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("attnbench", VERSION);
        v.put("java", System.getProperty("java.runtime.version"));
        for (String name : plan.cells().stream().map(Cell::backend).distinct().toList()) {
            Backend b = Backends.byName(name);
            b.versions().forEach(v::putIfAbsent);
        }
        return v;
    }

    /** Deletes the cells' saved outputs or images (or both), and their mentions in the rows. */
    private static List<ResultRow> dropOutputs(RunFolder run, List<ResultRow> rows, boolean outputs, boolean images) {
        List<ResultRow> out = new ArrayList<>();
        for (ResultRow r : rows) {
            Map<String, String> kept = new LinkedHashMap<>();
            for (var f : r.files().entrySet()) {
                boolean drop = outputs && f.getKey().equals("outputs") || images && f.getKey().startsWith("image_");
                if (!drop) kept.put(f.getKey(), f.getValue());
                else deleteIfExists(run.dir().resolve(f.getValue()));
            }
            ResultRow slim = r.withFiles(kept);
            if (!kept.equals(r.files())) run.record(slim);
            out.add(slim);
        }
        return out;
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
