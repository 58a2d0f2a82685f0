package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.ResultRow;

/**
 * The summary pivot: variants (by backend) down, sizes across, speedup and MSE in each cell: the
 * whole run in one table, per scope. Failed and skipped cells say so with their reason.
 */
public final class SummaryTable {
    private SummaryTable() {}

    public static List<Block> blocks(RunData run) {
        List<Block> out = new ArrayList<>();
        for (Scope scope : run.scopes()) out.add(table(run, scope));
        return out;
    }

    static Block.TableBlock table(RunData run, Scope scope) {
        List<ResultRow> rows = run.rows(scope);
        Labels labels = new Labels(rows);
        List<Integer> sizes = rows.stream().map(r -> r.cell().resolutionPx()).distinct().sorted().toList();
        List<String> headers = new ArrayList<>(List.of("variant", "backend"));
        for (int px : sizes) {
            headers.add("speedup, " + px + " px");
            headers.add("MSE, " + px + " px");
        }
        Map<String, Map<Integer, ResultRow>> byLine = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing((ResultRow r) -> labels.where(r.cell()))
                        .thenComparing(r -> RunData.compared(r) ? 1 : 0))
                .forEach(r -> byLine.computeIfAbsent(r.cell().variant() + "\u0000" + labels.where(r.cell()),
                        k -> new LinkedHashMap<>()).put(r.cell().resolutionPx(), r));
        TextTable t = new TextTable("summary-" + scope.slug(), headers);
        for (Map<Integer, ResultRow> line : byLine.values()) {
            ResultRow any = line.values().iterator().next();
            List<String> cells = new ArrayList<>(List.of(labels.variant(any.cell().variant()), labels.where(any.cell())));
            for (int px : sizes) {
                ResultRow r = line.get(px);
                cells.add(speedup(run, r));
                cells.add(mse(r));
            }
            t.add(cells);
        }
        return new Block.TableBlock("summary-" + scope.slug(), "Summary, " + scope.title(),
                "Speedup is dense's median time ÷ the variant's, on the same backend, device, size and kernel in this"
                        + " run; MSE is against dense's outputs for the same inputs. Reference rows give dense's median"
                        + " time. Intervals and every other measure are in All cells.", t.build());
    }

    private static String speedup(RunData run, ResultRow r) {
        if (r == null) return CellText.absent();
        if (!r.ok()) return CellText.shortStatus(r, 60);
        if (!RunData.compared(r)) return "reference, " + Numbers.ms(r.medianMs());
        if (Numbers.known(r.speedup().ratio())) return Numbers.speedup(r.speedup().ratio());
        Optional<ResultRow> ref = run.reference(r);
        return ref.isPresent() && !ref.get().ok() ? "– (reference " + CellText.status(ref.get()) + ")" : "– (no reference)";
    }

    private static String mse(ResultRow r) {
        if (r == null) return CellText.absent();
        if (!r.ok()) return CellText.status(r);
        if (!RunData.compared(r)) return "reference";
        return Numbers.sci(r.quality().mse());
    }
}
