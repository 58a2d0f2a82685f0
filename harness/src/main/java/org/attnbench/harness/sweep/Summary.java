package org.attnbench.harness.sweep;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.attnbench.store.ResultRow;
import org.attnbench.store.WorkloadKind;

/** The console's view of results: one phrase per cell, and the table printed when a run ends. */
public final class Summary {
    private Summary() {}

    /** "12.31 ms  3.21x  mse 1.2e-03", or "FAILED: reason". */
    static String outcome(ResultRow r) {
        if (!r.ok()) return r.status().label().toUpperCase(Locale.ROOT) + ": " + r.error();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.2f ms", r.medianMs()));
        if (!Double.isNaN(r.speedup().ratio())) s.append(String.format(Locale.ROOT, "  %.2fx", r.speedup().ratio()));
        if (!Double.isNaN(r.quality().mse())) s.append(String.format(Locale.ROOT, "  mse %.2e", r.quality().mse()));
        if (r.cell().workload() == WorkloadKind.CEILING) {
            s.append(r.cell().model().equals("gemm") ? String.format(Locale.ROOT, "  %.1f GFLOP/s", r.cost().gflops())
                    : String.format(Locale.ROOT, "  %.1f GB/s", r.cost().gbps()));
        }
        return s.toString();
    }

    /** The results table: one line per cell, speedup with its interval, fidelity and memory. */
    public static void print(List<ResultRow> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%-11s %-7s %-9s %-16s %-44s %10s %10s %-17s %9s %8s %6s %8s%n", "backend", "device",
                "workload", "size", "variant", "median_ms", "p90_ms", "speedup [95% CI]", "mse", "cosine", "limit",
                "rss_mb");
        for (ResultRow r : rows) {
            var c = r.cell();
            String size = c.workload() == WorkloadKind.DENOISING ? c.model() + " " + c.imageSize() + "px"
                    : c.workload() == WorkloadKind.CEILING ? c.model() : c.grid();
            if (!r.ok()) {
                out.printf(Locale.ROOT, "%-11s %-7s %-9s %-16s %-44s %s: %s%n", c.backend(), c.device(), c.workload(), size,
                        c.label(), r.status().label().toUpperCase(Locale.ROOT), r.error());
                continue;
            }
            String speedup = Double.isNaN(r.speedup().ratio()) ? "-"
                    : String.format(Locale.ROOT, "%.2f [%.2f,%.2f]", r.speedup().ratio(), r.speedup().low(), r.speedup().high());
            out.printf(Locale.ROOT, "%-11s %-7s %-9s %-16s %-44s %10.2f %10.2f %-17s %9s %8s %6s %8s%n", c.backend(),
                    c.device(), c.workload(), size, c.label(), r.medianMs(), r.timing().p90Ms(), speedup,
                    number(r.quality().mse(), "%.2e"), number(r.quality().cosine(), "%.5f"),
                    number(r.cost().limitFraction(), "%.2f"), number(r.memory().peakRssMb(), "%.0f"));
        }
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
