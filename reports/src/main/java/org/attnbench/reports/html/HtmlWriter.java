package org.attnbench.reports.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.Document;
import org.attnbench.reports.document.Section;
import org.attnbench.reports.document.Tone;
import org.attnbench.reports.document.ReportFiles;
import tech.tablesaw.api.Table;

/**
 * Writes a document as one static HTML page: the stylesheet embedded, no scripts, every image and
 * link relative, so the folder can be published on any static host as it is.
 */
public final class HtmlWriter {
    public static final String FILE = "index.html";

    private HtmlWriter() {}

    public static Path write(Document doc, Path dir) {
        Path file = dir.resolve(FILE);
        ReportFiles.writeString(file, render(doc));
        return file;
    }

    public static String render(Document doc) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // an empty icon, so browsers do not ask the host for /favicon.ico
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>").append(esc(doc.title())).append("</title>\n")
                .append("<style>\n").append(stylesheet()).append("</style>\n</head>\n<body>\n<header>\n")
                .append("<h1>").append(esc(doc.title())).append("</h1>\n")
                .append("<p class=\"summary\">").append(esc(doc.summary())).append("</p>\n<nav><ol>\n");
        for (Section s : doc.sections()) {
            h.append("<li><a href=\"#").append(s.id()).append("\">").append(esc(s.title())).append("</a></li>\n");
        }
        h.append("</ol></nav>\n</header>\n<main>\n");
        for (Section s : doc.sections()) {
            h.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(esc(s.title())).append("</h2>\n");
            for (Block b : s.blocks()) block(h, b);
            h.append("</section>\n");
        }
        h.append("</main>\n<footer>Written by attnbench from the run's manifest and result rows. Charts are PNG with"
                + " SVG beside them; tables and notes are also in report.md.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void block(StringBuilder h, Block b) {
        if (b instanceof Block.Paragraph p) {
            h.append("<p>").append(esc(p.text())).append("</p>\n");
        } else if (b instanceof Block.Figure f) {
            figure(h, f);
        } else if (b instanceof Block.TableBlock t) {
            table(h, t);
        } else if (b instanceof Block.Bullets l) {
            h.append("<ul class=\"problems\">\n");
            for (String item : l.items()) h.append("<li>").append(esc(item)).append("</li>\n");
            h.append("</ul>\n");
        } else if (b instanceof Block.Code c) {
            h.append("<pre><code>").append(esc(c.text())).append("</code></pre>\n");
        } else if (b instanceof Block.Links l) {
            h.append("<p>").append(esc(l.intro()));
            for (int i = 0; i < l.paths().size(); i++) {
                String p = l.paths().get(i);
                h.append(i == 0 ? " " : ", ").append("<a href=\"").append(attr(p)).append("\">").append(esc(p)).append("</a>");
            }
            h.append(".</p>\n");
        } else if (b instanceof Block.LeftOut o) {
            h.append("<p class=\"left-out\"><strong>Left out: ").append(esc(o.what())).append(".</strong> ")
                    .append(esc(capitalize(o.why()))).append(".</p>\n");
        }
    }

    private static void figure(StringBuilder h, Block.Figure f) {
        h.append("<figure id=\"").append(f.id()).append("\">\n<a href=\"").append(attr(f.png())).append("\"><img src=\"")
                .append(attr(f.png())).append("\" alt=\"").append(attr(f.title())).append("\" width=\"").append(f.width())
                .append("\" height=\"").append(f.height()).append("\"></a>\n<figcaption><strong>").append(esc(f.title()))
                .append(".</strong> ").append(esc(f.caption())).append(" <span class=\"files\">(<a href=\"")
                .append(attr(f.png())).append("\">PNG</a>");
        if (f.svg() != null) h.append(" · <a href=\"").append(attr(f.svg())).append("\">SVG</a>");
        h.append(")</span></figcaption>\n</figure>\n");
    }

    private static void table(StringBuilder h, Block.TableBlock t) {
        Table table = t.table();
        h.append("<div class=\"scroll\">\n<table id=\"").append(t.id()).append("\">\n<caption><strong>")
                .append(esc(t.title())).append(".</strong>");
        if (t.caption() != null) h.append(' ').append(esc(t.caption()));
        h.append("</caption>\n<thead><tr>");
        for (String name : table.columnNames()) h.append("<th>").append(esc(name)).append("</th>");
        h.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.rowCount(); r++) {
            h.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                String text = table.stringColumn(c).get(r);
                String cls = classes(text);
                h.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls + "\">").append(esc(text)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</div>\n");
    }

    /** A number with an optional unit ("1.85×", "6.1e-3", "812 MiB", "12.3%"), right-aligned so digits line up. */
    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[-+]?[0-9][0-9.,]*(e[-+]?[0-9]+)?( ?(×|%|ms|MiB|GB))?|–");

    /** The cell's CSS classes: its tone, "num" for numbers, "wrap" for long text. */
    private static String classes(String text) {
        List<String> out = new ArrayList<>();
        String tone = Tone.of(text).cssClass();
        if (tone != null) out.add(tone);
        else if (NUMBER.matcher(text).matches()) out.add("num");
        if (text.length() > 40) out.add("wrap");
        return String.join(" ", out);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String attr(String s) {
        return esc(s);
    }

    private static String stylesheet() {
        try (InputStream in = HtmlWriter.class.getResourceAsStream("report.css")) {
            if (in == null) throw new IllegalStateException("report.css missing from the reports jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
