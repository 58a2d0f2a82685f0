package org.attnbench.reports.tables;

import java.util.List;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.store.ResultRow;

/** The cells that failed or were skipped, each with its reason: a list nobody can overlook. */
public final class ProblemCells {
    private ProblemCells() {}

    public static List<Block> blocks(RunData run) {
        List<ResultRow> problems = run.problems();
        if (problems.isEmpty()) return List.of(new Block.Paragraph("Every cell of this run ran."));
        long failed = problems.stream().filter(r -> r.status().label().equals("failed")).count();
        String intro = String.format(java.util.Locale.ROOT,
                "%d of %d cells did not run (%d failed, %d skipped). They appear as failed or skipped in every table and"
                        + " as gaps in the charts, never as zeros.",
                problems.size(), run.rows().size(), failed, problems.size() - failed);
        return List.of(new Block.Paragraph(intro),
                new Block.Bullets(problems.stream().map(r -> Labels.full(r.cell()) + " — " + CellText.statusWithReason(r))
                        .toList()));
    }
}
