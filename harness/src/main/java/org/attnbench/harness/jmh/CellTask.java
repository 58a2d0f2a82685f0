package org.attnbench.harness.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.harness.config.Cell;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.StoreJson;

/**
 * What a forked JVM needs to run one cell, written as {@code task.json} in the cell's folder: the
 * sweep's config text (the fork re-reads it, so cell and workload are defined in one place), the
 * scale it was read with, the cell's id and how many fidelity samples to keep.
 */
public record CellTask(String configFile, String configText, double scale, String cellId, int samples, String cellDir) {
    public static final String FILE = "task.json";

    public static Path write(Path cellDir, SweepConfig config, Cell cell) {
        CellTask t = new CellTask(config.file().toString(), config.text(), config.scale(), cell.id(),
                config.fidelity().samples(), cellDir.toAbsolutePath().toString());
        Path file = cellDir.resolve(FILE);
        AtomicFiles.writeString(file, StoreJson.PRETTY.toJson(t));
        return file;
    }

    public static CellTask read(Path file) {
        try {
            return StoreJson.COMPACT.fromJson(Files.readString(file), CellTask.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SweepConfig config() {
        return SweepConfigReader.parse(Path.of(configFile), configText, scale);
    }

    public Cell cell(SweepConfig config) {
        return CellPlan.of(config).cells().stream().filter(c -> c.id().equals(cellId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("cell " + cellId + " is not in " + configFile));
    }

    public Path dir() {
        return Path.of(cellDir);
    }
}
