package org.attnbench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import com.google.gson.JsonParseException;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;

/**
 * One run's folder:
 *
 * <pre>
 * manifest.json            machine, versions, commit, config ({@link RunManifest})
 * cells/KEY/row.json       one finished cell ({@link ResultRow}), written when it finishes
 * cells/KEY/...            that cell's own files (JMH JSON and log, saved outputs)
 * rows.jsonl, rows.csv     every finished cell, rewritten after each one
 * </pre>
 *
 * A cell's {@code row.json} is the record of truth: a cell is done exactly when it exists, which
 * is what lets an interrupted run resume without losing or repeating a cell.
 */
public final class RunFolder {
    public static final String MANIFEST = "manifest.json";
    public static final String ROWS_JSONL = "rows.jsonl";
    public static final String ROWS_CSV = "rows.csv";
    public static final String CELLS = "cells";
    public static final String ROW = "row.json";

    private final Path dir;
    /** The finished cells by folder name, read from disk once and kept up to date by {@link #record}. */
    private TreeMap<String, ResultRow> recorded;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** A new run folder (created; it must not hold a run yet). */
    public static RunFolder create(Path dir) {
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new UserError(dir + " already holds a run: pass --resume " + dir + " to continue it, or choose another --out");
        }
        try {
            Files.createDirectories(dir.resolve(CELLS));
        } catch (IOException e) {
            throw new UserError("cannot create run folder " + dir + ": " + e.getMessage());
        }
        return new RunFolder(dir);
    }

    /** An existing run folder. */
    public static RunFolder open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST)) || !Files.isDirectory(dir.resolve(CELLS))) {
            throw new UserError(dir + " is not a run folder (no " + MANIFEST + " and " + CELLS
                    + "/): give a folder that 'attnbench run' wrote");
        }
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public RunManifest manifest() {
        return readManifest(dir);
    }

    /** The manifest of a run folder, or of a folder that keeps only a run's manifest and rows (a baseline). */
    public static RunManifest readManifest(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + " is not a run folder (" + (Files.exists(dir) ? "it is a file" : "no such folder")
                    + "): give a folder that 'attnbench run' wrote");
        }
        try {
            RunManifest m = StoreJson.read(Files.readString(dir.resolve(MANIFEST)), RunManifest.class);
            if (m == null) throw new JsonParseException("empty");
            return m;
        } catch (NoSuchFileException e) {
            throw new UserError(dir + " is not a run folder (no " + MANIFEST + "): give a folder that 'attnbench run' wrote");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JsonParseException e) {
            throw new UserError(dir.resolve(MANIFEST) + " is not a valid manifest: " + Reasons.of(e));
        }
    }

    public void writeManifest(RunManifest m) {
        AtomicFiles.writeString(dir.resolve(MANIFEST), StoreJson.write(StoreJson.PRETTY, m) + "\n");
    }

    /** The folder of a cell's own files, created on first use. */
    public Path cellDir(String cellId) {
        Path d = dir.resolve(CELLS).resolve(key(cellId));
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** A cell's path relative to the run folder, for {@link ResultRow#files()}. */
    public String relative(Path file) {
        return dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Records a finished cell: its row.json, then the rows files with every finished cell. */
    public synchronized void record(ResultRow row) {
        AtomicFiles.writeString(cellDir(row.cell().id()).resolve(ROW), StoreJson.write(StoreJson.PRETTY, row) + "\n");
        recorded().put(key(row.cell().id()), row);
        writeRows(rows());
    }

    /** Forgets a recorded cell (its row.json is deleted), so a resumed run measures it again. */
    public synchronized void forget(String cellId) {
        try {
            Files.deleteIfExists(dir.resolve(CELLS).resolve(key(cellId)).resolve(ROW));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recorded().remove(key(cellId));
        writeRows(rows());
    }

    /** Rewrites rows.jsonl and rows.csv (e.g. after derived columns were recomputed). */
    public synchronized void writeRows(List<ResultRow> rows) {
        StringBuilder jsonl = new StringBuilder();
        for (ResultRow r : rows) jsonl.append(StoreJson.write(StoreJson.COMPACT, r)).append('\n');
        AtomicFiles.writeString(dir.resolve(ROWS_JSONL), jsonl.toString());
        AtomicFiles.writeString(dir.resolve(ROWS_CSV), RowsTable.toCsv(rows));
    }

    /** Every finished cell, by cell id, in the order of their folders' names. */
    public Map<String, ResultRow> rowsById() {
        Map<String, ResultRow> out = new LinkedHashMap<>();
        for (ResultRow r : rows()) out.put(r.cell().id(), r);
        return out;
    }

    /** Every finished cell (from cells/KEY/row.json, the record of truth), in the order of their folders. */
    public synchronized List<ResultRow> rows() {
        return List.copyOf(recorded().values());
    }

    private TreeMap<String, ResultRow> recorded() {
        if (recorded != null) return recorded;
        recorded = new TreeMap<>();
        Path cells = dir.resolve(CELLS);
        if (!Files.isDirectory(cells)) return recorded;
        try (Stream<Path> s = Files.list(cells)) {
            for (Path d : s.sorted(Comparator.comparing(Path::toString)).toList()) {
                Path f = d.resolve(ROW);
                if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) recorded.put(d.getFileName().toString(), readRow(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return recorded;
    }

    private ResultRow readRow(Path f) {
        String problem = problem(f);
        if (problem != null) {
            throw new UserError(f + " is not a valid result row (" + problem + "): resume the run ('attnbench run --resume "
                    + dir + "') to set it aside and measure its cell again");
        }
        return parseRow(f);
    }

    /**
     * Sets aside every cell record that cannot be read (empty, cut short, not UTF-8, not a row):
     * its {@code row.json} is renamed {@code row.json.unreadable} (or {@code .unreadable-N}), so the
     * cell counts as not done and a resumed run measures it again. Returns one line per file set aside.
     */
    public synchronized List<String> setAsideUnreadable() {
        List<String> notes = new ArrayList<>();
        Path cells = dir.resolve(CELLS);
        try (Stream<Path> s = Files.list(cells)) {
            for (Path d : s.sorted().toList()) {
                Path f = d.resolve(ROW);
                if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) continue;
                String problem = problem(f);
                if (problem == null) continue;
                Path aside = d.resolve(ROW + ".unreadable");
                for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) aside = d.resolve(ROW + ".unreadable-" + i);
                Files.move(f, aside);
                notes.add(relative(f) + " is unreadable (" + problem + "): set aside as " + aside.getFileName()
                        + ", its cell is measured again");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recorded = null;
        return notes;
    }

    /** Why a cell's row.json cannot be read, or null when it can. */
    private static String problem(Path f) {
        try {
            parseRow(f);
            return null;
        } catch (JsonParseException e) {
            return e.getMessage();
        } catch (UncheckedIOException e) {
            return Reasons.of(e.getCause());
        }
    }

    private static ResultRow parseRow(Path f) {
        String text;
        try {
            if (!Files.isRegularFile(f)) throw new JsonParseException("not a regular file");
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (text.isBlank()) throw new JsonParseException("empty");
        ResultRow r = StoreJson.read(text, ResultRow.class);
        if (r == null || r.cell() == null || r.cell().id() == null || r.status() == null) {
            throw new JsonParseException("missing cell or status");
        }
        return r;
    }

    /**
     * A cell's folder name: readable (the id with every run of characters outside [a-z0-9.=-]
     * folded to '_', cut to 80) plus 10 hex digits of the id's SHA-256, so distinct ids never share a folder.
     */
    public static String key(String cellId) {
        String slug = cellId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.=-]+", "_");
        if (slug.length() > 80) slug = slug.substring(0, 80);
        return slug + "-" + sha256(cellId).substring(0, 10);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
