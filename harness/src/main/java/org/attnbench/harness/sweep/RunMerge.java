package org.attnbench.harness.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;
import org.attnbench.store.WorkloadKind;
import org.attnbench.workloads.Cell;

/**
 * Combines the shards of one sweep into one run folder. The shards must come from the same
 * config (equal hashes); every cell folder is copied over. Ceilings are measured by every shard
 * that needs them (each against its own machine), so the merged run keeps the first shard's;
 * any other cell found in two shards is an error, found before anything is written. Cells no
 * shard holds are listed as missing. The manifest lists every shard's sessions, machines included.
 */
public final class RunMerge {
    private RunMerge() {}

    public static RunFolder merge(List<Path> shards, Path out, PrintStream log) {
        if (shards.isEmpty()) throw new UserError("give the shard run folders to merge");
        List<RunFolder> runs = shards.stream().map(RunFolder::open).toList();
        RunManifest first = runs.get(0).manifest();
        Set<String> shardNames = new LinkedHashSet<>();
        for (RunFolder r : runs) {
            RunManifest m = r.manifest();
            if (!m.configHash().equals(first.configHash()) || m.scale() != first.scale()) {
                throw new UserError(r.dir() + " ran another config than " + runs.get(0).dir()
                        + " (config hash or scale differ): merge only shards of one sweep");
            }
            if (m.shard() != null && !shardNames.add(m.shard())) {
                throw new UserError("shard " + m.shard() + " is given twice (" + r.dir() + ")");
            }
        }
        CellPlan plan = CellPlan.of(SweepConfigReader.parse(Path.of(first.configFile()), first.configText(), first.scale()));
        Map<String, ResultRow> rows = new LinkedHashMap<>();
        Map<String, RunFolder> from = new LinkedHashMap<>();
        int ceilingsDropped = 0;
        for (RunFolder r : runs) {
            for (ResultRow row : r.rows()) {
                String id = row.cell().id();
                if (rows.containsKey(id)) {
                    if (row.cell().workload() == WorkloadKind.CEILING) {
                        ceilingsDropped++;
                        continue;
                    }
                    throw new UserError("cell " + id + " is in both " + from.get(id).dir() + " and " + r.dir()
                            + ": these are not disjoint shards");
                }
                rows.put(id, row);
                from.put(id, r);
            }
        }
        RunFolder merged = RunFolder.create(out);
        for (var e : from.entrySet()) {
            String key = RunFolder.key(e.getKey());
            copyTree(e.getValue().dir().resolve(RunFolder.CELLS).resolve(key), merged.dir().resolve(RunFolder.CELLS).resolve(key));
        }
        for (RunFolder r : runs) { // each shard's encoded prompts (the same files where shards share a pipeline)
            Path prompts = r.dir().resolve(PromptEncoding.FOLDER);
            if (Files.isDirectory(prompts)) copyTree(prompts, merged.dir().resolve(PromptEncoding.FOLDER));
        }
        List<String> missing = plan.cells().stream().map(Cell::id).filter(id -> !rows.containsKey(id)).toList();
        String end = runs.stream().map(r -> r.manifest().finishedAt()).anyMatch(Objects::isNull) ? null
                : runs.stream().map(r -> r.manifest().finishedAt()).max(String::compareTo).orElse(null);
        merged.writeManifest(new RunManifest(first.name(), first.configFile(), first.configHash(), first.configText(),
                first.scale(), "attnbench merge " + String.join(" ", shards.stream().map(Path::toString).toList()),
                first.git(), first.machine(), first.versions(), null,
                shards.stream().map(Path::toString).toList(), plan.cells().size(),
                runs.stream().map(r -> r.manifest().startedAt()).min(String::compareTo).orElse(null), end,
                runs.stream().flatMap(r -> r.manifest().sessions().stream()).toList()));
        merged.writeRows(inPlanOrder(plan, rows));
        log.println("merged " + runs.size() + " runs into " + out + ": " + rows.size() + " of " + plan.cells().size() + " cells"
                + (ceilingsDropped > 0 ? " (" + ceilingsDropped + " repeated ceiling cells kept from the first run)" : ""));
        if (!missing.isEmpty()) {
            log.println("missing " + missing.size() + " cells (a shard not given, or not finished; resume it with "
                    + "'attnbench run --resume DIR'), e.g. " + missing.get(0));
        }
        return merged;
    }

    private static List<ResultRow> inPlanOrder(CellPlan plan, Map<String, ResultRow> rows) {
        List<ResultRow> out = new ArrayList<>();
        for (Cell c : plan.cells()) {
            if (rows.containsKey(c.id())) out.add(rows.get(c.id()));
        }
        return out;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
