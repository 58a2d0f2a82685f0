package org.attnbench.reports.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;

/**
 * One run as a report reads it: its folder, manifest and rows, with the few lookups every chart
 * and table needs (a cell's reference, the scopes it holds, its GEMM ceilings).
 */
public final class RunData {
    private final Path dir;
    private final RunManifest manifest;
    private final List<ResultRow> rows;
    private final Map<String, ResultRow> byId = new LinkedHashMap<>();

    public RunData(Path dir, RunManifest manifest, List<ResultRow> rows) {
        this.dir = dir;
        this.manifest = manifest;
        this.rows = List.copyOf(rows);
        for (ResultRow r : rows) byId.put(r.cell().id(), r);
    }

    /**
     * Reads a run folder, or a folder that keeps a run's manifest and rows only (a committed
     * baseline); anything else is a {@code UserError}.
     */
    public static RunData load(Path dir) {
        return new RunData(dir, RunFolder.readManifest(dir), RowsFile.read(dir));
    }

    public Path dir() {
        return dir;
    }

    public RunManifest manifest() {
        return manifest;
    }

    public List<ResultRow> rows() {
        return rows;
    }

    public Optional<ResultRow> byId(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** Cells that ended failed or skipped, in row order. */
    public List<ResultRow> problems() {
        return rows.stream().filter(r -> !r.ok()).toList();
    }

    /** Whether a row is compared with another cell (a variant), rather than being a reference itself. */
    public static boolean compared(ResultRow r) {
        String ref = r.cell().referenceId();
        return ref != null && !ref.equals(r.cell().id());
    }

    /** The cell a row is compared with, when it is in this run. */
    public Optional<ResultRow> reference(ResultRow r) {
        return compared(r) ? byId(r.cell().referenceId()) : Optional.empty();
    }

    /** Scopes of the measured workloads (not the ceilings), in a stable order. */
    public List<Scope> scopes() {
        return rows.stream().filter(r -> !Scope.isCeiling(r)).map(r -> Scope.of(r.cell())).distinct()
                .sorted(Comparator.comparing(Scope::workload).thenComparing(Scope::model).thenComparingInt(Scope::steps))
                .toList();
    }

    /** The rows of one scope. */
    public List<ResultRow> rows(Scope scope) {
        return rows.stream().filter(scope::contains).toList();
    }

    /**
     * The GEMM rate (GFLOP/s) that bounds a cell: the ceiling of the same backend, device and dtype
     * in this run, as the row carries it; NaN when the run measured none.
     */
    public double gemmCeiling(ResultRow r) {
        return r.cost().peakGflops();
    }

    /** Distinct values of one cell field over some rows, in first-seen order. */
    public static List<String> distinct(List<ResultRow> rows, java.util.function.Function<ResultRow, String> field) {
        List<String> out = new ArrayList<>();
        for (ResultRow r : rows) {
            String v = field.apply(r);
            if (v != null && !out.contains(v)) out.add(v);
        }
        return out;
    }
}
