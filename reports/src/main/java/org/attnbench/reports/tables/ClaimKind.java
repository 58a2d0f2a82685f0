package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.attnbench.methods.PaperClaim;
import org.attnbench.reports.data.RunData;
import org.attnbench.store.CellInfo;
import org.attnbench.store.Kernel;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * Whether a measured speedup is of the kind a paper's claim is, so that setting one beside the
 * other compares like with like: whole images of the paper's model, over the dense kernel of the
 * paper's kind, that kernel being the fastest dense one the backend ran at that point. A speedup
 * over a slow dense kernel is a speedup over that kernel, not over what a user of the paper's
 * setting has; device and precision are stated beside the number instead.
 */
public final class ClaimKind {
    private ClaimKind() {}

    /** Why the cell's speedup cannot stand beside the claim, one phrase each; empty when it can. */
    public static List<String> differences(PaperClaim claim, ResultRow cell, RunData run) {
        PaperClaim.Timed paper = claim.timed();
        List<String> out = new ArrayList<>();
        CellInfo c = cell.cell();
        if (c.workload() != WorkloadKind.DENOISING) {
            out.add("this run times one " + c.workload() + " block, the paper whole " + paper.modelName() + " images");
        } else if (!paper.model().equals(c.model())) {
            out.add("this run times whole " + c.model() + " images, the paper " + paper.modelName() + " images");
        }
        Optional<ResultRow> reference = run.reference(cell);
        if (reference.isEmpty()) {
            out.add("its dense reference is not in this run");
            return out;
        }
        Kernel kernel = reference.get().cell().kernel();
        if (!kernel.name().equals(paper.kernel()) || kernel.slice() > 0) {
            out.add("its speedup is over " + kernelName(kernel) + ", the paper's over " + paper.kernelName());
        }
        fasterDense(reference.get(), run).ifPresent(f -> out.add("its dense reference (" + kernelName(kernel)
                + ") is not this backend's fastest here: " + kernelName(f.cell().kernel()) + " ran "
                + String.format(Locale.ROOT, "%.2f×", reference.get().medianMs() / f.medianMs()) + " faster"));
        return out;
    }

    /** The conditions the paper's differ in that leave the comparison standing: "cpu, float32 (the paper: GPU, float16)", or "". */
    public static String conditions(PaperClaim claim, ResultRow cell) {
        PaperClaim.Timed paper = claim.timed();
        CellInfo c = cell.cell();
        boolean device = !c.device().startsWith(paper.device());
        boolean dtype = !c.dtype().equals(paper.dtype());
        if (!device && !dtype) return "";
        String ours = device && dtype ? c.device() + ", " + c.dtype() : device ? c.device() : c.dtype();
        String theirs = device && dtype ? deviceName(paper.device()) + ", " + paper.dtype()
                : device ? deviceName(paper.device()) : paper.dtype();
        return ours + " (the paper: " + theirs + ")";
    }

    /** "the fused kernel", "the naive matmul kernel", "matmul over 1024-query slices". */
    static String kernelName(Kernel k) {
        if (k.slice() > 0) return "matmul over " + k.slice() + "-query slices";
        return switch (k.name()) {
            case "fused" -> "the fused kernel";
            case "matmul" -> "the naive matmul kernel";
            default -> "the " + k.name() + " kernel";
        };
    }

    private static String deviceName(String device) {
        return device.equals("cuda") ? "a CUDA GPU" : device;
    }

    /** The fastest dense cell beside the reference (same backend, device, dtype and point) when it beat the reference. */
    private static Optional<ResultRow> fasterDense(ResultRow reference, RunData run) {
        String point = point(reference.cell().id());
        return run.rows().stream()
                .filter(r -> r.ok() && r.cell().family().equals("dense") && point(r.cell().id()).equals(point)
                        && r.medianMs() < reference.medianMs())
                .min(Comparator.comparingDouble(ResultRow::medianMs));
    }

    /** A cell id less its variant: {@code backend|device|dtype|point}. */
    private static String point(String id) {
        int bar = id.lastIndexOf('|');
        return bar < 0 ? id : id.substring(0, bar);
    }
}
