package org.attnbench.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.attnbench.core.UserError;
import org.attnbench.reports.charts.ChartFiles;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Document;
import org.attnbench.reports.html.HtmlWriter;
import org.attnbench.reports.images.OutputGrids;
import org.attnbench.reports.markdown.MarkdownWriter;
import org.attnbench.reports.document.ReportFiles;
import org.attnbench.store.RowsTable;
import org.attnbench.store.RunFolder;

/**
 * Writes a run's report: a self-contained static folder with {@code index.html}, {@code report.md},
 * every chart as PNG and SVG under {@code charts/}, image comparisons under {@code images/}, and the
 * run's manifest and rows under {@code data/}. Every link is relative, so the folder can be
 * published as it is. {@code attnbench report} and the end of every {@code attnbench run} call it.
 */
public final class Report {
    /** The default report folder inside a run folder. */
    public static final String DEFAULT_FOLDER = "report";
    /** Marks a folder as a report, so rewriting it may clear the subfolders an earlier report wrote. */
    static final String MARKER = ".attnbench-report";

    private Report() {}

    /**
     * Writes the report of one run.
     *
     * @param runDir the run folder ({@code manifest.json}, {@code cells/})
     * @param baselineRunDirOrNull a run to compare with cell by cell, or null
     * @param outDir where to write, or null for {@code runDir/report}
     * @param formats which files to write (at least one)
     * @return the page to open: {@code index.html}, or {@code report.md} when only Markdown was asked for
     * @throws UserError when a folder is not a run folder or the output folder cannot be written
     */
    public static Path write(Path runDir, Path baselineRunDirOrNull, Path outDir, Set<Format> formats) {
        if (formats.isEmpty()) throw new IllegalArgumentException("no report format asked for");
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        RunData run = RunData.load(runDir);
        RunData baseline = baselineRunDirOrNull == null ? null : RunData.load(baselineRunDirOrNull);
        Path out = outDir == null ? runDir.resolve(DEFAULT_FOLDER) : outDir;
        prepare(out);
        Document doc = ReportContent.build(run, baseline, out);
        copyData(run, out.resolve(ReportContent.DATA));
        Path html = formats.contains(Format.HTML) ? HtmlWriter.write(doc, out) : null;
        Path md = formats.contains(Format.MARKDOWN) ? MarkdownWriter.write(doc, out) : null;
        return html != null ? html : md;
    }

    /** Creates the folder; clears the subfolders a previous report wrote there, so no stale chart survives. */
    private static void prepare(Path out) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) throw new UserError(out + " exists and is not a folder");
            Files.createDirectories(out);
            if (Files.exists(out.resolve(MARKER))) {
                for (String sub : new String[] {ChartFiles.FOLDER, OutputGrids.FOLDER, ReportContent.DATA}) {
                    deleteTree(out.resolve(sub));
                }
            }
            ReportFiles.writeString(out.resolve(MARKER), "written by attnbench report\n");
        } catch (IOException e) {
            throw new UserError("cannot write the report to " + out + ": " + e.getMessage());
        }
    }

    private static void copyData(RunData run, Path data) {
        try {
            Files.createDirectories(data);
            Files.copy(run.dir().resolve(RunFolder.MANIFEST), data.resolve(RunFolder.MANIFEST),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReportFiles.writeString(data.resolve(RunFolder.ROWS_CSV), RowsTable.toCsv(run.rows()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
