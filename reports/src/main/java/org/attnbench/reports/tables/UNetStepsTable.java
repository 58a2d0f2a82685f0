package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.StepSplit;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.ResultRow;
import org.attnbench.store.StepPhase;
import org.attnbench.store.WorkloadKind;

/**
 * Whole-UNet cells against the paper's headline: per size, backend and variant, the paper's claim
 * for that size, the measured image speedup with its interval, the speedup that counted FLOPs
 * predict (the reference's FLOPs over the cell's: what time would give if it followed FLOPs), the
 * ideal that the measured split of a dense step predicts ({@link StepSplit}), and every graph of the variant's timestep schedule timed apart (a dense step beside it), so ToDo's
 * downsampling steps and its similarity-merge steps each show their own cost.
 */
public final class UNetStepsTable {
    private UNetStepsTable() {}

    /** The table, or nothing when the run has no compared UNet cell. */
    public static List<Block> blocks(RunData run) {
        List<ResultRow> cells = run.rows().stream()
                .filter(r -> r.cell().workload() == WorkloadKind.DENOISING && RunData.compared(r))
                .sorted(Comparator.comparingInt((ResultRow r) -> r.cell().resolutionPx())
                        .thenComparing(r -> r.cell().backend()).thenComparing(r -> r.cell().variant()))
                .toList();
        if (cells.isEmpty()) return List.of();
        Labels labels = new Labels(run.rows());
        TextTable t = new TextTable("unet-steps", "size", "backend", "variant", "paper", "measured speedup [95% CI]",
                "FLOP-predicted", "ideal from time split", "measured ÷ ideal", "steps per graph (median step)");
        for (ResultRow r : cells) {
            Optional<ResultRow> ref = run.reference(r);
            String measured = r.ok() ? Numbers.speedup(r.speedup().ratio(), r.speedup().low(), r.speedup().high())
                    : CellText.absent();
            double predicted = ref.map(x -> x.cost().flops() / r.cost().flops()).orElse(Double.NaN);
            double ideal = ref.map(x -> StepSplit.idealSpeedup(x, r)).orElse(Double.NaN);
            double ofIdeal = r.ok() ? r.speedup().ratio() / ideal : Double.NaN;
            t.add(Labels.modelSize(cells, r.cell()), Labels.backend(r.cell().backend()), labels.variant(r.cell().variant()),
                    claim(run, r), measured, Numbers.known(predicted) ? Numbers.speedup(predicted) : "–",
                    Numbers.known(ideal) ? Numbers.speedup(ideal) : "–", Numbers.known(ofIdeal) ? Numbers.percent(ofIdeal) : "–",
                    steps(r) + ref.map(x -> "; dense: " + steps(x)).orElse(""));
        }
        return List.of(new Block.TableBlock("unet-steps", "Whole " + Labels.modelFamilies(cells) + ": measured against FLOP-predicted speedup",
                "Measured is the whole image's median time, reference over cell, in the same run. FLOP-predicted is"
                        + " the reference's counted FLOPs over the cell's: the speedup if time followed FLOPs. A"
                        + " measured speedup above it means the removed work ran slower than the rest (attention"
                        + " on a CPU); below it, overheads the FLOPs do not count. The ideal from the time split"
                        + " keeps each part of the dense step (self-attention, cross-attention, feed-forward, the"
                        + " rest) at the rate it ran and scales its time by the variant's FLOPs in that part, the"
                        + " method's own work (token matching) costing nothing: what this machine could give."
                        + " Each graph of a timestep schedule is timed apart.", t.build()));
    }

    /**
     * The paper's claim for the cell's size, when it makes one for its method and the cell's speedup is
     * of the kind it claims ({@link ClaimKind}: the paper's model, over the paper's kind of dense kernel).
     */
    static String claim(RunData run, ResultRow r) {
        return PaperClaims.comparable(run, r).map(c -> c.paper()).orElse("–");
    }

    /** "1 × 18.8 s (downsampling: ...), 1 × 24.1 s (similarity merge ...)", or "2 × 23.8 s" for one graph. */
    private static String steps(ResultRow r) {
        if (r.timing() == null || r.timing().phases().isEmpty()) return "–";
        List<StepPhase> phases = r.timing().phases();
        List<String> parts = new ArrayList<>();
        for (StepPhase p : phases) {
            String time = String.format(Locale.ROOT, "%d × %.2f s", p.stepsPerImage(), p.medianMs() / 1e3);
            parts.add(phases.size() == 1 ? time : time + " (" + phase(p.graph()) + ")");
        }
        return String.join(", ", parts);
    }

    /** The phase a schedule's graph description names: the part in brackets before the schedule. */
    static String phase(String graph) {
        int open = graph.indexOf('[');
        if (open < 0) return graph;
        int semi = graph.indexOf(';', open);
        return graph.substring(open + 1, semi > open ? semi : graph.length() - 1);
    }
}
