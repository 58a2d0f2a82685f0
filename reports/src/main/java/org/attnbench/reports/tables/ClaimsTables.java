package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.attnbench.methods.PaperClaim;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.ResultRow;

/**
 * The papers' claims beside this run's values: the headline speedups and the ToDo paper's
 * Table 1. Where the run has no matching cell the table says "not measured in this run"; where its
 * cells are not of the kind the paper timed ({@link ClaimKind}) it says what differs instead of a
 * number; and {@link ConditionsTable} states how each side measured.
 */
public final class ClaimsTables {
    /** How a claim's row begins when this run has cells of the method but none of the paper's kind. */
    static final String NOT_OF_ITS_KIND = "not of the paper's kind: ";

    private ClaimsTables() {}

    public static List<Block> blocks(RunData run) {
        return List.of(speedups(run), table1(run));
    }

    static Block.TableBlock speedups(RunData run) {
        TextTable t = new TextTable("claims-speedup", "claim", "source", "paper", "this run (best per backend)",
                "measured on");
        for (PaperClaims.SpeedupClaim claim : PaperClaims.SPEEDUPS) {
            PaperClaim c = claim.claim();
            String paper = c.paper() + " (" + c.conditions() + ")";
            List<ResultRow> family = run.rows().stream().filter(r -> Matches.variant(r, claim.family(), c.key(), c.value()))
                    .toList();
            List<ResultRow> match = Matches.preferUnet(family.stream()
                    .filter(r -> r.ok() && RunData.compared(r) && Numbers.known(r.speedup().ratio())
                            && r.cell().resolutionPx() >= c.minPx() && r.cell().resolutionPx() <= c.maxPx())
                    .toList());
            if (match.isEmpty()) {
                t.add(c.claim(), c.source(), paper, CellText.absent(), orDash(Matches.otherSizes(family)));
                continue;
            }
            List<ResultRow> comparable = match.stream().filter(r -> ClaimKind.differences(c, r, run).isEmpty()).toList();
            if (comparable.isEmpty()) {
                List<String> differ = match.stream().flatMap(r -> ClaimKind.differences(c, r, run).stream()).distinct()
                        .toList();
                t.add(c.claim(), c.source(), paper, NOT_OF_ITS_KIND + String.join("; ", differ), Matches.where(match));
                continue;
            }
            List<ResultRow> best = bestPerBackend(comparable);
            String conditions = best.stream().map(r -> ClaimKind.conditions(c, r)).filter(x -> !x.isEmpty()).distinct()
                    .collect(Collectors.joining("; "));
            t.add(c.claim(), c.source(), paper, Matches.values(best, r -> r.speedup().ratio(), Numbers::speedup),
                    Matches.where(best) + (conditions.isEmpty() ? "" : "; " + conditions));
        }
        return new Block.TableBlock("claims-speedup", "Headline speedups: papers and this run",
                "A measured speedup stands beside a paper's only when it is of the same kind: whole images of the"
                        + " paper's model, over the dense kernel the paper's speedup is over (ToDo: flash attention;"
                        + " ToMe: the original model's attention), that kernel being the fastest dense one the backend"
                        + " ran there. Otherwise the row says what differs instead of a number. Device and precision"
                        + " are stated beside the number; the conditions table below has the rest. Speedups are the"
                        + " best cell per backend in the size range.", t.build());
    }

    static Block.TableBlock table1(RunData run) {
        TextTable t = new TextTable("claims-table1", "method", "token ratio", "paper MSE", "measured MSE", "paper HPF",
                "measured HPF", "measured on");
        int px = PaperClaims.TABLE1_PX;
        for (PaperClaims.Table1Row p : PaperClaims.TABLE_1) {
            List<ResultRow> family = run.rows().stream().filter(r -> Matches.variant(r, p.family(), p.key(), p.value()))
                    .toList();
            List<ResultRow> atSize = Matches.preferUnet(family.stream()
                    .filter(r -> r.ok() && r.cell().resolutionPx() == px).toList());
            String paperMse = Numbers.known(p.mse()) ? Numbers.sci(p.mse()) : "–";
            if (p.family().equals("dense")) {
                List<ResultRow> refs = Matches.preferUnet(run.rows().stream()
                        .filter(r -> r.ok() && r.cell().resolutionPx() == px && Numbers.known(r.quality().hpfReference()))
                        .toList());
                String hpf = refs.isEmpty() ? CellText.absent()
                        : hpf(refs.get(0).quality().hpfReference()) + " (dense, as measured beside the variants)";
                List<ResultRow> anySize = run.rows().stream().filter(r -> r.ok() && Numbers.known(r.quality().hpfReference()))
                        .toList();
                t.add(p.method(), p.tokenRatio(), paperMse, "–", hpf(p.hpf()), hpf,
                        refs.isEmpty() ? orDash(Matches.otherSizes(anySize)) : Matches.where(refs.subList(0, 1)));
                continue;
            }
            if (atSize.isEmpty()) {
                t.add(p.method(), p.tokenRatio(), paperMse, CellText.absent(), hpf(p.hpf()), CellText.absent(),
                        orDash(Matches.otherSizes(family)));
                continue;
            }
            t.add(p.method(), p.tokenRatio(), paperMse, Matches.values(atSize, r -> r.quality().mse(), Numbers::sci),
                    hpf(p.hpf()), Matches.values(atSize, r -> r.quality().hpf(), ClaimsTables::hpf),
                    Matches.where(atSize));
        }
        return new Block.TableBlock("claims-table1", "ToDo paper's Table 1 (1536 × 1536 px) and this run",
                "The paper's MSE and HPF are of final decoded images (DreamShaper v7, DDIM 50 steps, 10 prompts); this"
                        + " run's are of the outputs its cells saved (block outputs or latents), so compare the"
                        + " ordering of methods rather than the magnitudes. ToMe's 0.89 needs sx = sy = 3"
                        + " (ratio ≤ 1 − 1/(sx·sy)).", t.build());
    }

    /** HPF as the paper prints it, three decimals. */
    static String hpf(double v) {
        return Numbers.known(v) ? String.format(java.util.Locale.ROOT, "%.3f", v) : Numbers.NOT_MEASURED;
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "–" : s;
    }

    private static List<ResultRow> bestPerBackend(List<ResultRow> rows) {
        List<ResultRow> out = new ArrayList<>();
        for (String where : RunData.distinct(rows, r -> r.cell().backend() + " " + r.cell().device() + " " + r.cell().dtype())) {
            rows.stream().filter(r -> (r.cell().backend() + " " + r.cell().device() + " " + r.cell().dtype()).equals(where))
                    .max(Comparator.comparingDouble(r -> r.speedup().ratio())).ifPresent(out::add);
        }
        return out;
    }
}
