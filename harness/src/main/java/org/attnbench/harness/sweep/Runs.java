package org.attnbench.harness.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.Cell;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.reports.Format;
import org.attnbench.reports.Report;
import org.attnbench.store.GitState;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Machine;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;

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
        run.writeManifest(new RunManifest(config.name(), config.file().toString(), RunFolder.sha256(config.text()),
                config.text(), config.scale(), command, GitState.of(Path.of("")), Machine.current(), versions(plan),
                shard == null ? null : shard.toString(), null, plan.cells().size(), Instant.now().toString(), null));
        try {
            Files.writeString(dir.resolve(CONFIG_COPY), config.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }

    /** Runs what is left of the plan in the folder, finishes the manifest and prints the table. */
    public static List<ResultRow> execute(RunFolder run, CellPlan plan, PrintStream out, boolean terminal) {
        out.println("attnbench run " + plan.config().name() + ": " + plan.cells().size() + " cells -> " + run.dir());
        List<ResultRow> rows = new Sweep(plan, run, out, terminal).run();
        finish(run, plan.config());
        out.println();
        Summary.print(rows, out);
        out.println();
        out.println("results: " + run.dir().resolve(RunFolder.ROWS_CSV));
        report(run, out);
        return rows;
    }

    /** Writes the run's report into it and prints where; a report that cannot be drawn never fails the run. */
    public static void report(RunFolder run, PrintStream out) {
        try {
            out.println("report: " + Report.write(run.dir(), null, null, Format.both()));
        } catch (RuntimeException e) {
            out.println("report: not written (" + e.getMessage() + "); retry with 'attnbench report " + run.dir() + "'");
        }
    }

    public static void finish(RunFolder run, SweepConfig config) {
        run.writeManifest(run.manifest().finished(Instant.now().toString()));
        if (!config.fidelity().saveOutputs()) deleteOutputs(run);
    }

    /** Every backend and device the plan uses must be usable here; the error names the fix. */
    public static void requireDevices(CellPlan plan) {
        Set<String> checked = new LinkedHashSet<>();
        for (Cell c : plan.cells()) {
            if (!checked.add(c.backend() + "|" + c.device())) continue;
            try {
                Backends.requireAvailable(Backends.byName(c.backend()), c.device());
            } catch (UserError e) {
                throw new UserError(e.getMessage() + "; remove " + c.device() + " from 'devices' in "
                        + plan.config().file() + " or run on a machine that has it");
            }
        }
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

    private static void deleteOutputs(RunFolder run) {
        try (Stream<Path> files = Files.walk(run.dir().resolve(RunFolder.CELLS))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList()) Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
