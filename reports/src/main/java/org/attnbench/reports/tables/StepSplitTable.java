package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.attnbench.metrics.cost.StepPart;
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
 * Where a whole-UNet step's time goes, per size, backend and graph: each part's share of one
 * profiled step's time beside its share of the step's FLOPs. Self-attention's share of a dense
 * step bounds what any method that changes only self-attention can gain, which is why the CPU's
 * ceiling differs from the paper's GPU.
 */
public final class StepSplitTable {
    private StepSplitTable() {}

    public static List<Block> blocks(RunData run) {
        List<ResultRow> cells = run.rows().stream()
                .filter(r -> r.ok() && r.cell().workload() == WorkloadKind.DENOISING && r.timing() != null
                        && r.timing().phases().stream().anyMatch(p -> !p.partMs().isEmpty()))
                .sorted(Comparator.comparingInt((ResultRow r) -> r.cell().resolutionPx())
                        .thenComparing(r -> r.cell().backend()).thenComparing(RunData::compared)
                        .thenComparing(r -> r.cell().variant()))
                .toList();
        if (cells.isEmpty()) return List.of();
        Labels labels = new Labels(run.rows());
        List<String> columns = new ArrayList<>(List.of("size", "backend", "variant", "graph"));
        for (StepPart p : StepPart.values()) columns.add(p.label() + ": time (FLOPs)");
        columns.add("ceiling if self-attention were free");
        TextTable t = new TextTable("step-split", columns.toArray(String[]::new));
        for (ResultRow r : cells) {
            for (StepPhase phase : r.timing().phases()) {
                if (phase.partMs().isEmpty()) continue;
                List<String> row = new ArrayList<>(List.of(Labels.modelSize(cells, r.cell()), Labels.backend(r.cell().backend()),
                        labels.variant(r.cell().variant()), graph(r, phase)));
                for (StepPart p : StepPart.values()) {
                    row.add(Numbers.percent(phase.timeShare(p.label())) + " (" + Numbers.percent(phase.flopShare(p.label())) + ")");
                }
                row.add(RunData.compared(r) ? "–" : Numbers.speedup(StepSplit.ceiling(phase)));
                t.add(row.toArray(String[]::new));
            }
        }
        return List.of(new Block.TableBlock("step-split", "Whole " + Labels.modelFamilies(cells) + ": where a step's time goes",
                "Each graph of a loop ran once with its nodes timed (before the timed steps), the node times summed"
                        + " per part of the model by naming scope; in brackets, the part's share of the step's"
                        + " counted FLOPs. A method that changes only self-attention can at most remove"
                        + " self-attention's share of a dense step: the ceiling is 1 / (1 − that share). Where"
                        + " attention runs at a lower rate than convolutions, as on a CPU, its share of time exceeds"
                        + " its share of FLOPs; on the paper's GPU (fp16, flash attention) the split, and so the"
                        + " ceiling, differ: read the FLOPs column as what attention weighs anywhere and the time"
                        + " column as what it weighs here.", t.build()));
    }

    /** The graph's phase in a schedule ("downsampling", "similarity merge") or "every step" for one graph. */
    private static String graph(ResultRow r, StepPhase phase) {
        return r.timing().phases().size() == 1 ? "every step" : UNetStepsTable.phase(phase.graph());
    }
}
