package org.attnbench.reports.tables;

import java.util.List;
import java.util.Optional;
import org.attnbench.methods.Methods;
import org.attnbench.methods.PaperClaim;
import org.attnbench.methods.token.Todo;
import org.attnbench.reports.data.RunData;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;

/**
 * What the papers report, as published, so a report can set measured values beside them.
 *
 * <p>ToDo: Smith, Saxena and Saha, "ToDo: Token Downsampling for Efficient Generation of
 * High-Resolution Images", arXiv 2402.13573 (2024). Table 1: 1536 × 1536 px, DreamShaper v7
 * (an SD 1.5 fine-tune), DDIM 50 steps, guidance 7.5, 10 prompts; MSE of the final image against
 * the dense baseline; HPF the mean absolute magnitude after high-pass filtering. Headline: up to
 * 2× faster at common sizes and 4.5× or more at 2048 × 2048 (RTX A6000, fp16, flash attention).
 * The paper reports no FID. The speedup claims live with their methods ({@link PaperClaim}).
 */
public final class PaperClaims {
    private PaperClaims() {}

    public static final String TODO_SOURCE = Todo.PAPER;

    /** The image side of the paper's Table 1. */
    public static final int TABLE1_PX = 1536;
    /** The largest size of the headline speedup claim. */
    public static final int LARGE_PX = 2048;
    /** "Common sizes": up to this side. */
    public static final int COMMON_MAX_PX = 1024;

    /**
     * One row of Table 1.
     *
     * @param method as the paper names it
     * @param family the variant family that reproduces it ({@code dense}, {@code todo}, {@code tome})
     * @param key the parameter that identifies it ({@code factor} or {@code ratio}), or null
     * @param value that parameter's value
     * @param tokenRatio the share of key/value tokens removed, as the paper's column says it
     * @param mse the paper's MSE, NaN for the baseline
     * @param hpf the paper's HPF
     */
    public record Table1Row(String method, String family, String key, double value, String tokenRatio, double mse,
            double hpf) {}

    public static final List<Table1Row> TABLE_1 = List.of(
            new Table1Row("dense baseline", "dense", null, Double.NaN, "–", Double.NaN, 4.846),
            new Table1Row("ToMe", "tome", "ratio", 0.75, "0.75", 2.686e-2, 4.022),
            new Table1Row("ToMe", "tome", "ratio", 0.89, "0.89", 2.671e-2, 4.003),
            new Table1Row("ToDo", "todo", "factor", 2, "0.75 (f=2)", 6.247e-3, 4.887),
            new Table1Row("ToDo", "todo", "factor", 3, "0.89 (f=3)", 9.207e-3, 4.733));

    /** A paper's speedup claim about one method family ({@code todo}, {@code tome}). */
    public record SpeedupClaim(String family, PaperClaim claim) {
        /** Whether the claim covers this family at this size. */
        public boolean covers(String cellFamily, int px) {
            return family.equals(cellFamily) && px >= claim.minPx() && px <= claim.maxPx();
        }
    }

    /**
     * The claim that covers a cell's method and size, when the cell's speedup is of the kind it claims
     * ({@link ClaimKind}); empty otherwise. Loops of other model families than the SD UNets never match.
     */
    public static Optional<PaperClaim> comparable(RunData run, ResultRow r) {
        if (!CellInfo.UNET_CLASS.equals(r.cell().modelFamily())) return Optional.empty();
        return SPEEDUPS.stream().filter(c -> c.covers(r.cell().family(), r.cell().resolutionPx()))
                .map(SpeedupClaim::claim).filter(c -> ClaimKind.differences(c, r, run).isEmpty()).findFirst();
    }

    /** Every method's claims ({@link Methods}), in the order methods are listed. */
    public static final List<SpeedupClaim> SPEEDUPS = Methods.all().stream()
            .flatMap(m -> m.claims().stream().map(c -> new SpeedupClaim(m.name(), c))).toList();
}
