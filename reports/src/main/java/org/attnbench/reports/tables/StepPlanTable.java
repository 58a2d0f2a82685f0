package org.attnbench.reports.tables;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.ResultRow;
import org.attnbench.store.StepPhase;
import org.attnbench.store.WorkloadKind;

/**
 * Each denoising cell's plan per step: which steps of an image ran the whole model (F), part of it
 * taken from an earlier step (p) or nothing (s), how many of each, the work its cross-step method
 * skipped against its token method's plain loop, what it kept across steps, and its measured
 * speedup beside the one its counted FLOPs predict.
 */
public final class StepPlanTable {
    private StepPlanTable() {}

    /** The table, or nothing when no denoising cell recorded its steps' kinds. */
    public static List<Block> blocks(RunData run) {
        List<ResultRow> cells = run.rows().stream()
                .filter(r -> r.ok() && r.cell().workload() == WorkloadKind.DENOISING && r.timing() != null
                        && r.timing().phases().stream().anyMatch(p -> !p.steps().isEmpty()))
                .sorted(Comparator.comparing((ResultRow r) -> r.cell().model()).thenComparingInt(r -> r.cell().resolutionPx())
                        .thenComparing(r -> r.cell().backend()).thenComparing(r -> r.cell().variant()))
                .toList();
        if (cells.isEmpty()) return List.of();
        Labels labels = new Labels(run.rows());
        TextTable t = new TextTable("step-plans", "model, size", "backend", "variant", "plan per step", "steps by kind",
                "FLOPs skipped", "kept across steps", "speedup", "FLOP-predicted", "measured ÷ predicted");
        for (ResultRow r : cells) {
            Optional<ResultRow> ref = run.reference(r);
            double predicted = ref.map(x -> x.cost().flops() / r.cost().flops()).orElse(Double.NaN);
            double measured = r.speedup().ratio();
            double skipped = r.cost().flopsSkipped();
            t.add(Labels.modelSize(cells, r.cell()), Labels.backend(r.cell().backend()), labels.variant(r.cell().variant()),
                    plan(r.timing().phases(), r.cell().steps()), kinds(r.timing().phases()),
                    Numbers.known(skipped) ? skipped(skipped, r.cost().flops()) : "–",
                    Numbers.known(r.memory().keptMb()) ? String.format(Locale.ROOT, "%.1f MiB", r.memory().keptMb()) : "–",
                    Numbers.known(measured) ? Numbers.speedup(measured) : "–",
                    Numbers.known(predicted) ? Numbers.speedup(predicted) : "–",
                    Numbers.known(measured / predicted) ? Numbers.percent(measured / predicted) : "–");
        }
        return List.of(new Block.TableBlock("step-plans", "Each method's plan per step",
                "F: the whole model ran; p: part of it was taken from an earlier step (DeepCache's shallow side,"
                        + " first-block caching's cached tail); s: the step was skipped. A scheduled token method (ToDo)"
                        + " runs full steps under the patch of each timestep. FLOPs skipped are one image's, against the"
                        + " same token method with the whole model at every step (a share of that in brackets); kept is"
                        + " the most a cross-step method held across steps at once (in the peak memory too). Speedup is"
                        + " over the reference in the same run; FLOP-predicted is the reference's counted FLOPs over the"
                        + " cell's; a cross-step method whose speedup reaches 90% of that turns the skipped work into"
                        + " time.", t.build()));
    }

    /** "F p p F p p F p" from the phases' step indices and kinds. */
    static String plan(List<StepPhase> phases, int steps) {
        String[] marks = new String[steps];
        Arrays.fill(marks, "?");
        for (StepPhase p : phases) {
            String mark = switch (p.kind()) {
                case "partial" -> "p";
                case "skipped" -> "s";
                default -> "F";
            };
            for (int i : p.steps()) if (i >= 0 && i < steps) marks[i] = mark;
        }
        return String.join(" ", marks);
    }

    /** "3 full, 5 partial". */
    static String kinds(List<StepPhase> phases) {
        StringBuilder s = new StringBuilder();
        for (String kind : List.of("full", "partial", "skipped")) {
            int n = phases.stream().filter(p -> p.kind().equals(kind)).mapToInt(StepPhase::stepsPerImage).sum();
            if (n == 0) continue;
            if (!s.isEmpty()) s.append(", ");
            s.append(n).append(' ').append(kind);
        }
        return s.toString();
    }

    private static String skipped(double skipped, double ran) {
        double share = skipped / (skipped + ran);
        return String.format(Locale.ROOT, "%.3g GFLOP (%s)", skipped / 1e9, Numbers.percent(share));
    }
}
