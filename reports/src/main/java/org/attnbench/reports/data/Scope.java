package org.attnbench.reports.data;

import java.util.Locale;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * A set of cells that belong on one chart: the same workload of the same model (and, for a
 * denoising loop, the same number of steps). Sizes, variants and backends vary inside a scope.
 *
 * @param family for a denoising loop, its model family ("UNet", "PixArt transformer"); else the workload
 */
public record Scope(WorkloadKind workload, String model, int steps, String family) {

    public static Scope of(CellInfo c) {
        return c.workload() == WorkloadKind.DENOISING ? new Scope(c.workload(), c.model(), c.steps(), Labels.modelFamily(c))
                : new Scope(c.workload(), c.model(), 0, c.workload().toString());
    }

    public static boolean isCeiling(ResultRow r) {
        return r.cell().workload() == WorkloadKind.CEILING;
    }

    public boolean contains(ResultRow r) {
        return of(r.cell()).equals(this);
    }

    /** For titles: "attention block (sd15-level1)", "UNet sd15, 50 steps", "PixArt transformer pixart-sigma, 1 step". */
    public String title() {
        return switch (workload) {
            case ATTENTION -> "attention block (" + model + ")";
            case DENOISING -> String.format(Locale.ROOT, "%s %s, %d step%s", family, model, steps, steps == 1 ? "" : "s");
            default -> workload + " (" + model + ")";
        };
    }

    /** For file names: lower case letters, digits and dashes. */
    public String slug() {
        String s = workload + "-" + model + (steps > 0 ? "-" + steps + "steps" : "");
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** What one timing sample of this scope is. */
    public String sampleUnit() {
        return workload == WorkloadKind.DENOISING ? "one image" : "one forward pass";
    }
}
