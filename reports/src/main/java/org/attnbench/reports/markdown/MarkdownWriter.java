package org.attnbench.reports.markdown;

import java.nio.file.Path;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.Document;
import org.attnbench.reports.document.Section;
import org.attnbench.reports.document.ReportFiles;
import tech.tablesaw.api.Table;

/**
 * Writes a document as GitHub-flavoured Markdown ({@code report.md}): the same sections, charts
 * (linked as PNG, with the SVG beside them), tables and notes as the HTML page, for reading in a
 * repository, a pull request or a terminal.
 */
public final class MarkdownWriter {
    public static final String FILE = "report.md";

    private MarkdownWriter() {}

    public static Path write(Document doc, Path dir) {
        Path file = dir.resolve(FILE);
        ReportFiles.writeString(file, render(doc));
        return file;
    }

    public static String render(Document doc) {
        StringBuilder m = new StringBuilder(32 * 1024);
        m.append("# ").append(text(doc.title())).append("\n\n").append(text(doc.summary())).append("\n\n");
        for (Section s : doc.sections()) {
            m.append("## ").append(text(s.title())).append("\n\n");
            for (Block b : s.blocks()) block(m, b);
        }
        return m.toString();
    }

    private static void block(StringBuilder m, Block b) {
        if (b instanceof Block.Paragraph p) {
            m.append(text(p.text())).append("\n\n");
        } else if (b instanceof Block.Figure f) {
            m.append("![").append(text(f.title())).append("](").append(f.png()).append(")\n\n");
            m.append("*Figure: ").append(text(f.title())).append(".* ").append(text(f.caption())).append(" ([PNG](")
                    .append(f.png()).append(')');
            if (f.svg() != null) m.append(" · [SVG](").append(f.svg()).append(')');
            m.append(")\n\n");
        } else if (b instanceof Block.TableBlock t) {
            table(m, t);
        } else if (b instanceof Block.Bullets l) {
            for (String item : l.items()) m.append("- ").append(text(item)).append('\n');
            m.append('\n');
        } else if (b instanceof Block.Code c) {
            m.append("```yaml\n").append(c.text().replace("```", "'''")).append("\n```\n\n");
        } else if (b instanceof Block.Links l) {
            m.append(text(l.intro()));
            for (int i = 0; i < l.paths().size(); i++) {
                String p = l.paths().get(i);
                m.append(i == 0 ? " " : ", ").append('[').append(text(p)).append("](").append(p).append(')');
            }
            m.append(".\n\n");
        } else if (b instanceof Block.LeftOut o) {
            m.append("> **Left out: ").append(text(o.what())).append(".** ").append(text(o.why())).append(".\n\n");
        }
    }

    private static void table(StringBuilder m, Block.TableBlock t) {
        Table table = t.table();
        m.append("**Table: ").append(text(t.title())).append(".**");
        if (t.caption() != null) m.append(' ').append(text(t.caption()));
        m.append("\n\n|");
        for (String name : table.columnNames()) m.append(' ').append(cell(name)).append(" |");
        m.append("\n|");
        for (int c = 0; c < table.columnCount(); c++) m.append("---|");
        m.append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            m.append('|');
            for (int c = 0; c < table.columnCount(); c++) m.append(' ').append(cell(table.stringColumn(c).get(r))).append(" |");
            m.append('\n');
        }
        m.append('\n');
    }

    /** Text with Markdown's active characters escaped, on one line. */
    static String text(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            if ("\\`*_[]<>#".indexOf(ch) >= 0) out.append('\\');
            out.append(ch == '\n' ? ' ' : ch);
        }
        return out.toString();
    }

    private static String cell(String s) {
        String t = text(s).replace("|", "\\|");
        return t.isEmpty() ? " " : t;
    }
}
