package org.attnbench.reports.document;

import java.util.List;
import tech.tablesaw.api.Table;

/** The kinds of content a section holds. Text is plain: writers escape it for their format. */
public sealed interface Block {

    /** A paragraph of prose. */
    record Paragraph(String text) implements Block {}

    /**
     * A chart or image with its caption. Paths are relative to the report folder.
     *
     * @param id anchor and file stem
     * @param title what it shows
     * @param caption one line on what to read from it
     * @param png the raster image every format shows
     * @param svg the vector version, or null (image grids have none)
     * @param width the PNG's width in pixels
     * @param height the PNG's height in pixels
     */
    record Figure(String id, String title, String caption, String png, String svg, int width, int height)
            implements Block {}

    /**
     * A table of text cells (Tablesaw, every column a string column).
     *
     * @param id anchor
     * @param title what it lists
     * @param caption how to read it, or null
     * @param table the cells, already formatted
     */
    record TableBlock(String id, String title, String caption, Table table) implements Block {}

    /** A bulleted list. */
    record Bullets(List<String> items) implements Block {
        public Bullets {
            items = List.copyOf(items);
        }
    }

    /** Verbatim text, such as the run's config. */
    record Code(String text) implements Block {}

    /** A sentence followed by links to files of the report folder (relative paths). */
    record Links(String intro, List<String> paths) implements Block {
        public Links {
            paths = List.copyOf(paths);
        }
    }

    /** A chart or image the run has no data for, and why, so its absence is stated rather than silent. */
    record LeftOut(String what, String why) implements Block {}
}
