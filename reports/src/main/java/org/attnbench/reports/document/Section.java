package org.attnbench.reports.document;

import java.util.List;

/**
 * One titled part of a report.
 *
 * @param id anchor for links within the page (letters, digits and dashes)
 * @param title the heading
 * @param blocks the content in order
 */
public record Section(String id, String title, List<Block> blocks) {
    public Section {
        blocks = List.copyOf(blocks);
    }
}
