package org.attnbench.harness.sweep;

import java.util.List;
import org.attnbench.store.Cost;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/**
 * A cell's distance to the machine's limits: its cost set against the GEMM rate and the copy
 * bandwidth measured on the same backend, device and dtype in the same run.
 */
final class Limits {
    private Limits() {}

    static Cost apply(ResultRow row, List<ResultRow> recorded) {
        double gemm = row.cell().model().equals("gemm") && row.cell().workload() == WorkloadKind.CEILING ? row.cost().gflops()
                : ceiling(recorded, row, "gemm", true);
        double copy = row.cell().model().equals("copy") && row.cell().workload() == WorkloadKind.CEILING ? row.cost().gbps()
                : ceiling(recorded, row, "copy", false);
        if (Double.isNaN(gemm)) return row.cost();
        return row.cost().withLimits(gemm, copy, row.medianMs());
    }

    private static double ceiling(List<ResultRow> rows, ResultRow of, String kind, boolean flops) {
        for (ResultRow r : rows) {
            if (r.ok() && r.cell().workload() == WorkloadKind.CEILING && r.cell().model().equals(kind)
                    && r.cell().backend().equals(of.cell().backend()) && r.cell().device().equals(of.cell().device())
                    && r.cell().dtype().equals(of.cell().dtype())) {
                return flops ? r.cost().gflops() : r.cost().gbps();
            }
        }
        return Double.NaN;
    }
}
