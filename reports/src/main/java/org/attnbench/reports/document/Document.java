package org.attnbench.reports.document;

import java.util.List;

/**
 * A report's content, independent of how it is written: the HTML and the Markdown writers both
 * render one document, so the two formats always carry the same charts, tables and notes.
 *
 * @param title the report's title
 * @param summary one line under the title (run, date, machine)
 * @param sections the sections in reading order
 */
public record Document(String title, String summary, List<Section> sections) {
    public Document {
        sections = List.copyOf(sections);
    }

    /** Every figure in the document, in order. */
    public List<Block.Figure> figures() {
        return blocks(Block.Figure.class);
    }

    /** Every table in the document, in order. */
    public List<Block.TableBlock> tables() {
        return blocks(Block.TableBlock.class);
    }

    private <T extends Block> List<T> blocks(Class<T> kind) {
        return sections.stream().flatMap(s -> s.blocks().stream()).filter(kind::isInstance).map(kind::cast).toList();
    }
}
