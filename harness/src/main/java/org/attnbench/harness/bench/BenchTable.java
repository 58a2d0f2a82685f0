package org.attnbench.harness.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.attnbench.models.attention.VariantSpec;

/**
 * The benchmark table: one row per cell with its median time, achieved GFLOP/s, that rate as a
 * fraction of the same backend's GEMM rate, speedup over dense with the same kernel (same
 * backend and grid), and peak resident memory. A quantity whose reference cell is missing is NaN
 * and prints as "-".
 */
public final class BenchTable {
    static final String GEMM_VARIANT = "gemm " + Workloads.GEMM_N;
    private static final String[] HEADER = {"backend", "grid", "variant", "median_ms", "gflops", "gemm_fraction",
        "speedup_vs_dense", "peak_rss_mb"};

    public record Row(String backend, String grid, String variant, double medianMs, double gflops,
            double gemmFraction, double speedup, double peakRssMb) {}

    private final List<Row> rows;

    private BenchTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<Row> rows() {
        return rows;
    }

    /** Computes the table; {@code flops} gives one run's floating-point operations for a cell. */
    public static BenchTable of(List<JmhResult> results, ToDoubleFunction<JmhResult> flops) {
        Map<String, Double> gemmRate = new HashMap<>();
        Map<String, Double> denseMs = new HashMap<>();
        for (JmhResult r : results) {
            if (r.isGemm()) {
                gemmRate.put(r.param("backend"), flops.applyAsDouble(r) / (r.medianMs() * 1e6));
            } else if (VariantSpec.parse(r.param("variant")) instanceof VariantSpec.Dense d) {
                denseMs.put(key(r.param("backend"), r.param("grid"), d.kernel()), r.medianMs());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (JmhResult r : results) {
            String backend = r.param("backend");
            double gflops = flops.applyAsDouble(r) / (r.medianMs() * 1e6);
            double fraction = gflops / gemmRate.getOrDefault(backend, Double.NaN);
            if (r.isGemm()) {
                rows.add(new Row(backend, "-", GEMM_VARIANT, r.medianMs(), gflops, fraction, Double.NaN, r.peakRssMb()));
                continue;
            }
            VariantSpec v = VariantSpec.parse(r.param("variant"));
            double dense = denseMs.getOrDefault(key(backend, r.param("grid"), v.kernel()), Double.NaN);
            rows.add(new Row(backend, r.param("grid"), r.param("variant"), r.medianMs(), gflops, fraction,
                    dense / r.medianMs(), r.peakRssMb()));
        }
        return new BenchTable(rows);
    }

    private static String key(String backend, String grid, VariantSpec.Kernel kernel) {
        return backend + "|" + grid + "|" + kernel;
    }

    public String toCsv() {
        StringBuilder s = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (String[] cells : cells()) {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) s.append(',');
                s.append(cells[i].contains(",") ? '"' + cells[i] + '"' : cells[i]);
            }
            s.append('\n');
        }
        return s.toString();
    }

    public String toMarkdown() {
        StringBuilder s = new StringBuilder("| ").append(String.join(" | ", HEADER)).append(" |\n|");
        for (int i = 0; i < HEADER.length; i++) s.append(i < 3 ? "---|" : "---:|");
        s.append('\n');
        for (String[] cells : cells()) s.append("| ").append(String.join(" | ", cells)).append(" |\n");
        return s.toString();
    }

    /** Aligned plain text for the console. */
    public String toText() {
        List<String[]> all = new ArrayList<>();
        all.add(HEADER);
        all.addAll(cells());
        int[] width = new int[HEADER.length];
        for (String[] row : all) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        StringBuilder s = new StringBuilder();
        for (String[] row : all) {
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(width[i] - row[i].length());
                s.append(i < 3 ? row[i] + pad : pad + row[i]).append(i < row.length - 1 ? "  " : "\n");
            }
        }
        return s.toString();
    }

    private List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new String[] {r.backend(), r.grid(), r.variant(), fmt("%.2f", r.medianMs()), fmt("%.1f", r.gflops()),
                fmt("%.3f", r.gemmFraction()), fmt("%.2f", r.speedup()), fmt("%.0f", r.peakRssMb())});
        }
        return out;
    }

    private static String fmt(String pattern, double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, pattern, v);
    }
}
