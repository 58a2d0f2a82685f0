package org.attnbench.harness.gate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.core.UserError;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.attnbench.store.RunFolder;

/**
 * A committed baseline: the manifest and rows of several runs of the gate sweep, without their cell
 * folders (samples and fidelity values are in the rows), in {@code runs/1}, {@code runs/2}, ...
 * oldest first; the latest is also at the top level, where {@code compare} and reports read a run.
 * Several runs give the run-to-run spread a new run is judged against; a folder with only the
 * top-level rows (an older baseline, or any run folder) is a baseline of one run.
 */
public final class Baseline {
    public static final Path DEFAULT = Path.of("results", "baselines", "gate");
    public static final String RUNS = "runs";

    private Baseline() {}

    public static void require(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RunFolder.ROWS_JSONL))) {
            throw new UserError("no baseline at " + dir + " (no " + RunFolder.ROWS_JSONL
                    + "): take one with './attnbench gate --update-baseline'");
        }
    }

    /** The baseline's runs' rows, oldest first. */
    public static List<List<ResultRow>> runs(Path dir) {
        List<Path> folders = runFolders(dir);
        if (folders.isEmpty()) return List.of(RowsFile.read(dir));
        return folders.stream().map(RowsFile::read).toList();
    }

    /** Replaces the baseline with these runs' manifests and rows, oldest first. */
    public static void update(List<RunFolder> runs, Path dir) {
        try {
            for (Path old : runFolders(dir)) delete(old);
            for (int i = 0; i < runs.size(); i++) copy(runs.get(i), dir.resolve(RUNS).resolve(Integer.toString(i + 1)));
            copy(runs.get(runs.size() - 1), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds these runs after the baseline's own (a baseline of one run without {@code runs/} keeps
     * that run as the first); the latest becomes the top level.
     */
    public static void add(List<RunFolder> runs, Path dir) {
        try {
            List<Path> old = runFolders(dir);
            int next = old.size() + 1;
            if (old.isEmpty()) {
                Path first = dir.resolve(RUNS).resolve("1");
                Files.createDirectories(first);
                for (String f : new String[] {RunFolder.MANIFEST, RunFolder.ROWS_JSONL, RunFolder.ROWS_CSV}) {
                    if (Files.exists(dir.resolve(f))) Files.copy(dir.resolve(f), first.resolve(f));
                }
                next = 2;
            }
            for (RunFolder run : runs) copy(run, dir.resolve(RUNS).resolve(Integer.toString(next++)));
            copy(runs.get(runs.size() - 1), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(RunFolder run, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : new String[] {RunFolder.MANIFEST, RunFolder.ROWS_JSONL, RunFolder.ROWS_CSV}) {
            Files.copy(run.dir().resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** runs/N folders holding rows, by N. */
    private static List<Path> runFolders(Path dir) {
        Path runs = dir.resolve(RUNS);
        if (!Files.isDirectory(runs)) return List.of();
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(RunFolder.ROWS_JSONL))).toList());
            out.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
