package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.Machine;
import org.attnbench.store.RunManifest;

/** The run's manifest (machine, versions, commit, config) as a table and the config verbatim. */
public final class ManifestTable {
    private ManifestTable() {}

    public static List<Block> blocks(RunManifest m, String id) {
        TextTable t = new TextTable(id, "field", "value");
        t.add("name", text(m.name()));
        t.add("config file", text(m.configFile()));
        t.add("config hash (SHA-256)", text(m.configHash()));
        t.add("command", text(m.command()));
        if (m.git() != null) t.add("commit", m.git().commit() + (m.git().dirty() ? " (with uncommitted changes)" : ""));
        Machine machine = m.machine();
        if (machine != null) {
            t.add("CPU", text(machine.cpu()));
            t.add("cores", String.valueOf(machine.cores()));
            t.add("memory", String.format(Locale.ROOT, "%.1f GB", machine.memoryGb()));
            t.add("GPUs", machine.gpus().isEmpty() ? "none" : String.join("; ", machine.gpus().stream()
                    .map(g -> String.format(Locale.ROOT, "%d: %s, driver %s, %.0f MiB", g.index(), g.name(), g.driver(),
                            g.memoryMb())).toList()));
            t.add("OS", text(machine.os()));
            t.add("JVM", text(machine.jvm()));
        }
        for (Map.Entry<String, String> v : new java.util.TreeMap<>(m.versions()).entrySet()) {
            t.add("version: " + v.getKey(), v.getValue());
        }
        if (m.shard() != null) t.add("shard", m.shard());
        if (!m.mergedFrom().isEmpty()) t.add("merged from", String.join(", ", m.mergedFrom()));
        t.add("cells planned", String.valueOf(m.cells()));
        t.add("started", text(m.startedAt()));
        t.add("finished", m.finishedAt() == null ? "not finished (interrupted or still running)" : m.finishedAt());
        List<Block> out = new ArrayList<>();
        out.add(new Block.TableBlock(id, "Run manifest", "Everything needed to trace and repeat the run.", t.build()));
        if (m.configText() != null && !m.configText().isBlank()) out.add(new Block.Code(m.configText().strip()));
        return out;
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? "–" : s;
    }
}
