package org.attnbench.reports.tables;

import java.util.ArrayList;
import java.util.List;
import org.attnbench.reports.data.Labels;
import org.attnbench.reports.data.Numbers;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.document.TextTable;
import org.attnbench.store.CellInfo;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;

/**
 * Every cell of the run with every measure a reader may want to check: the table behind all the
 * charts. A cell that did not run shows its status in each measure's column.
 */
public final class CellsTable {
    private CellsTable() {}

    public static Block.TableBlock table(RunData run) {
        TextTable t = new TextTable("cells", "status", "backend", "workload", "size", "variant", "median",
                "p10 – p90", "speedup [95% CI]", "MSE", "HPF (dense)", "peak RSS", "GFLOP/s", "of GEMM");
        for (ResultRow r : run.rows()) {
            CellInfo c = r.cell();
            List<String> cells = new ArrayList<>(List.of(CellText.statusWithReason(r),
                    Labels.backend(c.backend()) + " " + c.device() + " " + c.dtype(), workload(c), size(c),
                    c.label()));
            if (!r.ok()) {
                for (int i = 0; i < 8; i++) cells.add(CellText.status(r));
            } else {
                Timing tm = r.timing();
                cells.add(Numbers.ms(r.medianMs()));
                cells.add(tm == null ? Numbers.NOT_MEASURED : Numbers.sig(tm.p10Ms()) + " – " + Numbers.ms(tm.p90Ms()));
                cells.add(RunData.compared(r) ? Numbers.speedup(r.speedup().ratio(), r.speedup().low(), r.speedup().high())
                        : c.workload() == WorkloadKind.CEILING ? Numbers.NOT_MEASURED : "reference");
                cells.add(Numbers.sci(r.quality().mse()));
                cells.add(hpf(r));
                cells.add(Numbers.mib(r.memory().peakRssMb()));
                cells.add(Numbers.sig(r.cost().gflops()));
                double ceiling = run.gemmCeiling(r);
                cells.add(c.workload() == WorkloadKind.CEILING ? Numbers.NOT_MEASURED : Numbers.percent(r.cost().gflops() / ceiling));
            }
            t.add(cells);
        }
        return new Block.TableBlock("cells", "All cells",
                "Every cell in run order. Median and percentiles are of " + "the timing samples; the speedup's interval"
                        + " is a 95% bootstrap interval; HPF is the variant's high-frequency detail with dense's in"
                        + " brackets; \"of GEMM\" is achieved GFLOP/s ÷ the GEMM ceiling of the same backend and"
                        + " device. A dash means not measured.",
                t.build());
    }

    private static String workload(CellInfo c) {
        return switch (c.workload()) {
            case DENOISING -> Labels.modelFamily(c) + " " + c.model() + ", " + c.steps() + " steps";
            case CEILING -> "ceiling";
            default -> c.workload() + " " + c.model();
        };
    }

    private static String size(CellInfo c) {
        return c.workload() == WorkloadKind.CEILING ? Numbers.NOT_MEASURED : Labels.sizeWithGrid(c);
    }

    private static String hpf(ResultRow r) {
        double h = r.quality().hpf();
        double ref = r.quality().hpfReference();
        if (!Numbers.known(h)) return Numbers.NOT_MEASURED;
        return Numbers.sig(h) + (Numbers.known(ref) ? " (" + Numbers.sig(ref) + ")" : "");
    }
}
