package org.attnbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The written folder: both formats carry the same content, every link resolves, nothing is external. */
class ReportWriteTest {
    @TempDir
    Path tmp;

    @Test
    void markdownCarriesEveryChartTableAndNoteOfTheHtml() throws Exception {
        Path dir = SampleReport.dir();
        String html = Files.readString(dir.resolve("index.html"));
        String md = Files.readString(dir.resolve("report.md"));

        List<String> pngs = all(html, "<figure id=\"[^\"]+\">\\s*<a href=\"[^\"]+\"><img src=\"([^\"]+)\"");
        assertTrue(pngs.size() >= 10, "figures in the HTML: " + pngs);
        for (String png : pngs) assertTrue(md.contains("](" + png + ")"), "report.md lacks figure " + png);
        assertEquals(pngs.size(), count(md, "\n!\\["), "one image per figure in report.md");

        List<String> tables = all(html, "<caption><strong>([^<]+)\\.</strong>");
        assertTrue(tables.size() >= 8, "tables in the HTML: " + tables);
        for (String title : tables) {
            assertTrue(md.contains("**Table: " + markdown(unescape(title)) + ".**"), "report.md lacks table " + title);
        }
        assertEquals(tables.size(), count(md, "\\*\\*Table: "));

        List<String> leftOut = all(html, "<p class=\"left-out\"><strong>Left out: ([^<]+)\\.</strong>");
        assertFalse(leftOut.isEmpty(), "the sample's UNet ran on one backend, so its backend chart is left out");
        for (String what : leftOut) assertTrue(md.contains("**Left out: " + markdown(unescape(what)) + ".**"), what);
    }

    @Test
    void everyLinkIsRelativeAndResolvesAndEveryChartHasItsSvg() throws Exception {
        Path dir = SampleReport.dir();
        Set<String> links = new LinkedHashSet<>();
        links.addAll(all(Files.readString(dir.resolve("report.md")), "\\]\\(([^)#][^)]*)\\)"));
        links.addAll(all(Files.readString(dir.resolve("index.html")), "(?:href|src)=\"([^\"#][^\"]*)\""));
        for (String link : links) {
            if (link.equals("data:,")) continue; // the page's empty favicon
            assertFalse(link.contains("://") || link.startsWith("/"), "not a relative link: " + link);
            assertTrue(Files.isRegularFile(dir.resolve(link)), "link to a missing file: " + link);
        }
        try (var charts = Files.list(dir.resolve("charts"))) {
            List<Path> pngs = charts.filter(p -> p.toString().endsWith(".png")).toList();
            assertFalse(pngs.isEmpty());
            for (Path png : pngs) {
                String stem = png.getFileName().toString().replace(".png", "");
                assertTrue(Files.size(png.resolveSibling(stem + ".svg")) > 1000, "no SVG beside " + png);
            }
        }
        String html = Files.readString(dir.resolve("index.html"));
        assertFalse(html.contains("<script"), "the page needs no JavaScript");
    }

    @Test
    void aQuickstartSizedReportTakesSecondsNotMinutes() {
        // 19 cells with outputs, images and a baseline; measured once, loosely bounded here
        long ms = SampleReport.millis();
        assertTrue(ms < 30_000, "report took " + ms + " ms");
    }

    @Test
    void aFolderThatIsNotARunIsOneClearError() throws Exception {
        UserError e = assertThrows(UserError.class, () -> Report.write(tmp, null, null, Format.both()));
        assertTrue(e.getMessage().contains("is not a run folder"), e.getMessage());
        Path run = new RunFixture().write(tmp.resolve("run"));
        UserError b = assertThrows(UserError.class, () -> Report.write(run, tmp.resolve("nothing"), null, Format.both()));
        assertTrue(b.getMessage().contains("nothing is not a run folder"), b.getMessage());
    }

    @Test
    void markdownOnlyWritesNoPageAndTheDefaultFolderIsInsideTheRun() throws Exception {
        Path run = new RunFixture().onlyBackend("onnxruntime").write(tmp.resolve("run"));
        Path md = Report.write(run, null, null, Set.of(Format.MARKDOWN));
        assertEquals(run.resolve("report").resolve("report.md"), md);
        assertFalse(Files.exists(md.resolveSibling("index.html")));
        // rewriting clears charts an earlier report wrote
        Files.writeString(md.resolveSibling("charts").resolve("stale.png"), "x");
        Report.write(run, null, null, Format.both());
        assertFalse(Files.exists(md.resolveSibling("charts").resolve("stale.png")));
        assertTrue(Files.isRegularFile(md.resolveSibling("index.html")));
    }

    @Test
    void cellsThatReadAlikeStillGetTheirOwnBoxes() throws Exception {
        Path run = new RunFixture().onlyBackend("onnxruntime").write(tmp.resolve("run"));
        org.attnbench.store.RunFolder folder = org.attnbench.store.RunFolder.open(run);
        org.attnbench.store.ResultRow dense = folder.rowsById().get(RunFixture.id("onnxruntime", "attention", "32x32",
                RunFixture.DENSE));
        org.attnbench.store.CellInfo c = dense.cell();
        // the same cell at batch 2: every label the report prints for it equals batch 1's
        org.attnbench.store.CellInfo batch2 = new org.attnbench.store.CellInfo(c.id() + "|b2", c.backend(), c.device(),
                c.dtype(), c.workload(), c.model(), c.grid(), c.resolutionPx(), c.tokens(), c.channels(), c.heads(), 2,
                c.steps(), c.variant(), c.family(), c.kernel().toString(), null);
        folder.record(new org.attnbench.store.ResultRow(batch2, dense.status(), null, dense.timing(), null, null, null, null,
                null, null, "t0", "t1"));
        Path index = Report.write(run, null, tmp.resolve("report"), Format.both());
        String html = Files.readString(index);
        assertTrue(html.contains("latency-attention-sd15-level1-256.png"), "latency chart drawn");
        assertFalse(html.contains("could not be drawn"), "every chart drawn");
    }

    static List<String> all(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static int count(String text, String regex) {
        return all(text, "(" + regex + ")").size();
    }

    static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    static String markdown(String text) {
        return text.replaceAll("([\\\\`*_\\[\\]<>#])", "\\\\$1");
    }
}
