package org.attnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.Document;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** A cell that failed or was skipped reads as such, with its reason, everywhere: never as missing, blank or zero. */
class FailedCellsTest {
    @TempDir
    Path tmp;

    @Test
    void failedAndSkippedCellsAreNamedInTheSummaryTheCellsTableAndTheList() throws Exception {
        Path run = new RunFixture().problems().write(tmp.resolve("run"));
        Document doc = ReportContent.build(RunData.load(run), null, tmp.resolve("report"));

        Table summary = table(doc, "summary-attention-sd15-level1");
        int tome = row(summary, "variant", "ToMe r=0.5", "backend", "DJL");
        assertEquals("failed: " + RunFixture.FAILED_REASON, summary.stringColumn("speedup, 512 px").get(tome));
        assertEquals("failed", summary.stringColumn("MSE, 512 px").get(tome));
        assertEquals("0.85×", summary.stringColumn("speedup, 256 px").get(tome));
        int fused = row(summary, "variant", "dense [fused]", "backend", "DJL");
        assertTrue(summary.stringColumn("speedup, 256 px").get(fused).startsWith("skipped: backend djl has no kernel"));
        assertEquals("not measured in this run", summary.stringColumn("speedup, 512 px").get(fused));

        Table cells = table(doc, "cells");
        int failed = row(cells, "variant", RunFixture.TOME, "size", "512 px (64x64)");
        assertEquals("failed: " + RunFixture.FAILED_REASON, cells.stringColumn("status").get(failed));
        for (String measure : List.of("median", "speedup [95% CI]", "MSE", "peak RSS", "GFLOP/s")) {
            assertEquals("failed", cells.stringColumn(measure).get(failed), measure);
        }
        int skipped = row(cells, "variant", "dense:kernel=fused", "size", "256 px (32x32)");
        assertEquals("skipped", cells.stringColumn("median").get(skipped));

        List<String> problems = doc.sections().stream().filter(s -> s.id().equals("problems"))
                .flatMap(s -> s.blocks().stream()).filter(Block.Bullets.class::isInstance)
                .flatMap(b -> ((Block.Bullets) b).items().stream()).toList();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.endsWith("failed: " + RunFixture.FAILED_REASON)), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("skipped: " + RunFixture.SKIPPED_REASON)), problems.toString());
    }

    @Test
    void theWrittenPagesMarkThemAsFailed() throws Exception {
        Path run = new RunFixture().problems().write(tmp.resolve("run"));
        Path index = Report.write(run, null, tmp.resolve("report"), Format.both());
        String html = Files.readString(index);
        assertTrue(html.matches("(?s).*<td class=\"failed[^\"]*\">failed: " + java.util.regex.Pattern.quote(RunFixture.FAILED_REASON)
                + "</td>.*"), "failed cell not marked");
        assertTrue(html.matches("(?s).*<td class=\"skipped[^\"]*\">skipped: " + java.util.regex.Pattern.quote(RunFixture.SKIPPED_REASON)
                + ".*"), "skipped cell not marked");
        String md = Files.readString(index.resolveSibling("report.md"));
        assertTrue(md.contains("| failed: " + RunFixture.FAILED_REASON + " |"), "report.md lacks the failed cell");
        assertTrue(md.contains("skipped: " + RunFixture.SKIPPED_REASON), "report.md lacks the skipped cell");
    }

    @Test
    void aRunWhereNothingRanStillGetsAReportThatSaysSo() throws Exception {
        RunFolder folder = RunFolder.create(tmp.resolve("run"));
        Path fixture = new RunFixture().write(tmp.resolve("fixture"));
        folder.writeManifest(RunFolder.open(fixture).manifest());
        for (ResultRow r : RunFolder.open(fixture).rows()) {
            folder.record(ResultRow.failed(r.cell(), CellStatus.FAILED, "device lost", "t0", "t1"));
        }
        Document doc = ReportContent.build(RunData.load(folder.dir()), null, tmp.resolve("report"));
        assertTrue(doc.figures().isEmpty(), "no chart can be drawn from failed cells");
        List<Block.LeftOut> notes = doc.sections().stream().flatMap(s -> s.blocks().stream())
                .filter(Block.LeftOut.class::isInstance).map(Block.LeftOut.class::cast).toList();
        assertTrue(notes.stream().anyMatch(n -> n.why().equals("every variant cell failed or was skipped")), notes.toString());
        Table summary = table(doc, "summary-attention-sd15-level1");
        for (int r = 0; r < summary.rowCount(); r++) {
            assertTrue(summary.stringColumn("speedup, 256 px").get(r).startsWith("failed: device lost"));
        }
        assertFalse(Files.readString(Report.write(folder.dir(), null, tmp.resolve("out"), Format.both())).isEmpty());
    }

    static Table table(Document doc, String id) {
        return doc.tables().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no table " + id)).table();
    }

    static int row(Table t, String col1, String value1, String col2, String value2) {
        for (int r = 0; r < t.rowCount(); r++) {
            if (t.stringColumn(col1).get(r).equals(value1) && t.stringColumn(col2).get(r).equals(value2)) return r;
        }
        throw new AssertionError("no row " + col1 + "=" + value1 + ", " + col2 + "=" + value2 + " in\n" + t.print());
    }
}
