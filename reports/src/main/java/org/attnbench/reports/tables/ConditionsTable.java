package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.data.Scope;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.Machine;
import org.attnbench.store.Kernel;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * How each side measured: the paper's conditions beside this run's, read from its manifest and
 * rows. A number only means something next to the conditions it was measured under.
 */
public final class ConditionsTable {
    private ConditionsTable() {}

    public static Block.TableBlock table(RunData run) {
        // what was measured: the cells that ran (all cells when none did)
        List<ResultRow> all = run.rows().stream().filter(r -> !Scope.isCeiling(r)).toList();
        List<ResultRow> ran = all.stream().filter(ResultRow::ok).toList();
        List<ResultRow> rows = ran.isEmpty() ? all : ran;
        TextTable t = new TextTable("conditions", "condition", "paper: " + PaperClaims.TODO_SOURCE, "this run");
        t.add("hardware", "NVIDIA RTX A6000 (GPU)", hardware(run, rows));
        t.add("runtime", "PyTorch with diffusers", runtimes(run, rows));
        t.add("precision", "fp16", join(RunData.distinct(rows, r -> r.cell().dtype())));
        t.add("attention kernel", "flash attention", join(RunData.distinct(rows, r -> kernel(r.cell().kernel()))));
        t.add("model and weights", "DreamShaper v7 (SD 1.5 family), pretrained", models(rows));
        t.add("workload", "whole image generation", join(run.scopes().stream().map(ConditionsTable::workload).toList()));
        List<String> inputs = RunData.distinct(rows, r -> r.cell().inputs());
        if (!inputs.isEmpty()) t.add("attention inputs", "latents of real prompts", join(inputs.stream().map(ConditionsTable::inputs).toList()));
        t.add("sampling", "DDIM, 50 steps, guidance 7.5, 10 prompts", sampling(run));
        t.add("fidelity measured on", "final decoded images against the dense baseline", fidelityBasis(run));
        t.add("timing", "not stated", timing(rows));
        return new Block.TableBlock("conditions", "Measuring conditions: paper and this run",
                "Read every comparison above through these differences: a CPU run with an unfused kernel and random"
                        + " weights can confirm the direction and scaling of a claim, not its size on a GPU.",
                t.build());
    }

    private static String hardware(RunData run, List<ResultRow> rows) {
        Machine m = run.manifest().machine();
        String devices = join(RunData.distinct(rows, r -> r.cell().device()));
        if (m == null) return "devices " + devices + " (machine not recorded)";
        return m.summary() + "; devices used: " + devices;
    }

    private static String runtimes(RunData run, List<ResultRow> rows) {
        Map<String, String> versions = run.manifest().versions();
        return RunData.distinct(rows, r -> r.cell().backend()).stream().map(b -> {
            String v = versions.get(b);
            String extra = b.equals("djl") && versions.containsKey("libtorch") ? " (libtorch " + versions.get("libtorch") + ")" : "";
            return Labels.backend(b) + (v == null ? "" : " " + v) + extra;
        }).collect(Collectors.joining("; "));
    }

    static String kernel(Kernel kernel) {
        if (kernel.slice() > 0) return "sliced queries (" + kernel.slice() + " rows a slice)";
        return switch (kernel.name()) {
            case "matmul" -> "unfused (matmul, softmax, matmul)";
            case "fused" -> "fused attention";
            default -> kernel.name();
        };
    }

    private static String models(List<ResultRow> rows) {
        List<String> weights = RunData.distinct(rows, r -> r.settings().get("weights"));
        String w = weights.isEmpty() ? "seeded random weights (timing does not depend on weight values)" : join(weights);
        return join(RunData.distinct(rows, r -> r.cell().model())) + "; " + w;
    }

    private static String inputs(String name) {
        return switch (name) {
            case "synthetic" -> "token maps from seeded images with a natural image's 1/f spectrum";
            case "photos" -> "token maps from photographs (mate-backgrounds)";
            case "gaussian" -> "Gaussian noise tokens (no spatial redundancy)";
            default -> name;
        };
    }

    private static String workload(Scope s) {
        return s.workload() == WorkloadKind.ATTENTION ? "one self-attention block, " + s.model() : s.title();
    }

    private static String sampling(RunData run) {
        List<String> out = new ArrayList<>();
        for (Scope s : run.scopes()) {
            if (s.workload() == WorkloadKind.DENOISING) {
                List<String> schedulers = RunData.distinct(run.rows(s), r -> r.settings().get("scheduler"));
                out.add(s.steps() + " steps" + (schedulers.isEmpty() ? "" : ", " + join(schedulers)));
            } else {
                out.add("none (" + s.workload() + ": one forward pass per sample)");
            }
        }
        List<String> inputs = RunData.distinct(run.rows(), r -> r.settings().get("inputs"));
        return join(out) + (inputs.isEmpty() ? "" : "; inputs: " + join(inputs));
    }

    private static String fidelityBasis(RunData run) {
        List<String> out = new ArrayList<>();
        for (Scope s : run.scopes()) {
            out.add(s.workload() == WorkloadKind.DENOISING ? "final latents (and decoded images where saved) of " + s.title()
                    : "outputs of the " + s.title() + " for the same inputs");
        }
        return "MSE against dense on " + join(out);
    }

    private static String timing(List<ResultRow> rows) {
        List<ResultRow> timed = rows.stream().filter(r -> r.ok() && r.timing() != null).toList();
        if (timed.isEmpty()) return "no cell was timed";
        int min = timed.stream().mapToInt(r -> r.timing().samplesMs().size()).min().orElse(0);
        int max = timed.stream().mapToInt(r -> r.timing().samplesMs().size()).max().orElse(0);
        int forks = timed.stream().mapToInt(r -> r.timing().forks()).max().orElse(0);
        return "median of " + (min == max ? String.valueOf(min) : min + "–" + max) + " samples per cell after warm-up"
                + (forks > 0 ? ", up to " + forks + " forked JVMs per cell" : ", in the running JVM");
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? "–" : String.join(", ", values);
    }
}
