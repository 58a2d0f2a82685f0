package org.attnbench.store;

import java.io.StringWriter;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Result rows as one flat Tablesaw table: a column per field (nested sections flattened, the
 * samples left out), numbers as doubles with NaN where not measured, written to CSV with those
 * cells empty. The column names are the JSON names of the fields.
 */
public final class RowsTable {
    private RowsTable() {}

    private sealed interface Col permits Text, Num {}

    private record Text(String name, Function<ResultRow, String> value) implements Col {}

    private record Num(String name, ToDoubleFunction<ResultRow> value) implements Col {}

    private static final List<Col> COLUMNS = List.of(
            new Text("id", r -> r.cell().id()),
            new Text("status", r -> r.status().label()),
            new Text("error", r -> r.error() == null ? "" : r.error()),
            new Text("backend", r -> r.cell().backend()),
            new Text("device", r -> r.cell().device()),
            new Text("dtype", r -> r.cell().dtype()),
            new Text("workload", r -> r.cell().workload().toString()),
            new Text("model", r -> r.cell().model()),
            new Text("grid", r -> r.cell().grid()),
            new Num("resolution_px", r -> r.cell().resolutionPx()),
            new Num("tokens", r -> r.cell().tokens()),
            new Num("channels", r -> r.cell().channels()),
            new Num("heads", r -> r.cell().heads()),
            new Num("batch", r -> r.cell().batch()),
            new Num("steps", r -> r.cell().steps()),
            new Text("variant", r -> r.cell().variant()),
            new Text("family", r -> r.cell().family()),
            new Text("kernel", r -> r.cell().kernel().toString()),
            new Text("reference_id", r -> r.cell().referenceId() == null ? "" : r.cell().referenceId()),
            new Text("inputs", r -> r.cell().inputs() == null ? "" : r.cell().inputs()),
            new Text("model_class", r -> r.cell().modelClass() == null ? "" : r.cell().modelClass()),
            new Text("unit", r -> r.timing() == null ? "" : r.timing().unit()),
            new Num("n", r -> r.timing() == null ? Double.NaN : r.timing().samplesMs().size()),
            new Num("median_ms", ResultRow::medianMs),
            new Num("mean_ms", r -> timing(r, Timing::meanMs)),
            new Num("std_ms", r -> timing(r, Timing::stdMs)),
            new Num("p10_ms", r -> timing(r, Timing::p10Ms)),
            new Num("p90_ms", r -> timing(r, Timing::p90Ms)),
            new Num("p99_ms", r -> timing(r, Timing::p99Ms)),
            new Num("ci_low_ms", r -> timing(r, Timing::ciLowMs)),
            new Num("ci_high_ms", r -> timing(r, Timing::ciHighMs)),
            new Num("forks", r -> timing(r, Timing::forks)),
            new Num("tokens_per_s", r -> timing(r, Timing::tokensPerS)),
            new Num("steps_per_s", r -> timing(r, Timing::stepsPerS)),
            new Num("images_per_s", r -> timing(r, Timing::imagesPerS)),
            new Num("speedup", r -> r.speedup().ratio()),
            new Num("speedup_low", r -> r.speedup().low()),
            new Num("speedup_high", r -> r.speedup().high()),
            new Num("peak_rss_mb", r -> r.memory().peakRssMb()),
            new Num("heap_peak_mb", r -> r.memory().heapPeakMb()),
            new Num("device_peak_mb", r -> r.memory().devicePeakMb()),
            new Num("device_baseline_mb", r -> r.memory().deviceBaselineMb()),
            new Text("device_memory_source", r -> r.memory().deviceSource() == null ? "" : r.memory().deviceSource()),
            new Num("kept_mb", r -> r.memory().keptMb()),
            new Num("flops", r -> r.cost().flops()),
            new Num("bytes", r -> r.cost().bytes()),
            new Num("gflops", r -> r.cost().gflops()),
            new Num("gbps", r -> r.cost().gbps()),
            new Num("peak_gflops", r -> r.cost().peakGflops()),
            new Num("peak_gbps", r -> r.cost().peakGbps()),
            new Num("limit_fraction", r -> r.cost().limitFraction()),
            new Num("flops_skipped", r -> r.cost().flopsSkipped()),
            new Num("quality_samples", r -> r.quality().samples()),
            new Num("mse", r -> r.quality().mse()),
            new Num("psnr_db", r -> r.quality().psnrDb()),
            new Num("cosine", r -> r.quality().cosine()),
            new Num("max_abs", r -> r.quality().maxAbs()),
            new Num("rel_l2", r -> r.quality().relL2()),
            new Num("hpf", r -> r.quality().hpf()),
            new Num("hpf_reference", r -> r.quality().hpfReference()),
            new Num("fid_like", r -> r.quality().fidLike()),
            new Num("kid", r -> r.quality().kid()),
            new Text("extractor", r -> r.quality().extractor() == null ? "" : r.quality().extractor()),
            new Text("reference_set", r -> r.quality().referenceSet() == null ? "" : r.quality().referenceSet().name()),
            new Num("fid_set", r -> r.quality().referenceSet() == null ? Double.NaN : r.quality().referenceSet().fid()),
            new Num("kid_set", r -> r.quality().referenceSet() == null ? Double.NaN : r.quality().referenceSet().kid()),
            new Num("clip_score", r -> r.quality().clipScore()),
            new Text("clip_model", r -> r.quality().clipModel() == null ? "" : r.quality().clipModel()),
            new Text("started_at", r -> r.startedAt() == null ? "" : r.startedAt()),
            new Text("finished_at", r -> r.finishedAt() == null ? "" : r.finishedAt()));

    private static double timing(ResultRow r, ToDoubleFunction<Timing> f) {
        return r.timing() == null ? Double.NaN : f.applyAsDouble(r.timing());
    }

    /** The rows as a table named "rows". */
    public static Table of(List<ResultRow> rows) {
        Table t = Table.create("rows");
        for (Col c : COLUMNS) t.addColumns(column(c, rows));
        return t;
    }

    private static Column<?> column(Col c, List<ResultRow> rows) {
        if (c instanceof Text text) return StringColumn.create(text.name(), rows.stream().map(text.value()));
        Num num = (Num) c;
        return DoubleColumn.create(num.name(), rows.stream().mapToDouble(num.value()));
    }

    public static String toCsv(List<ResultRow> rows) {
        StringWriter w = new StringWriter();
        of(rows).write().csv(CsvWriteOptions.builder(w).build());
        return w.toString();
    }
}
