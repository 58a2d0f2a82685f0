package org.attnbench.harness.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.attnbench.harness.jmh.CellTask;
import org.attnbench.harness.jmh.ForkReport;
import org.attnbench.harness.jmh.JmhCellRunner;
import org.attnbench.harness.jmh.JmhSamples;
import org.attnbench.metrics.timing.MedianRatio;
import org.attnbench.metrics.timing.Samples;
import org.attnbench.store.CellInfo;
import org.attnbench.store.Kernel;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Cost;
import org.attnbench.store.Memory;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.store.Speedup;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;

/**
 * Turns what a cell's fork left behind (JMH's samples, the {@link ForkReport}, the outputs) into
 * its {@link ResultRow}, set against the rows already recorded in the same run: the reference
 * cell (speedup with a bootstrap interval, fidelity of the outputs) and the ceilings of the same
 * backend and device (distance to the machine's limits).
 */
final class RowBuilder {
    static final double SPEEDUP_LEVEL = 0.95;
    static final int BOOTSTRAP_RESAMPLES = 2000;

    private final RunFolder run;
    private final Comparisons comparisons;
    private final Consumer<String> warn;

    /** What a denoising cell's inputs were: the prompt set it sampled, or null for seeded prompt states. */
    private final String prompts;

    /** @param warn told why a measured cell's fidelity could not be computed (the cell is kept without it) */
    RowBuilder(RunFolder run, Comparisons comparisons, Consumer<String> warn) {
        this(run, comparisons, warn, null);
    }

    /** @param prompts the sweep's prompt set as rows name it ("prompts coco (500 prompts x 1 image)"), or null */
    RowBuilder(RunFolder run, Comparisons comparisons, Consumer<String> warn, String prompts) {
        this.run = run;
        this.comparisons = comparisons;
        this.warn = warn;
        this.prompts = prompts;
    }

    ResultRow build(Cell cell, Optional<JmhSamples> jmh, String startedAt) {
        Path dir = run.cellDir(cell.id());
        CellInfo info = info(cell, prompts);
        String finishedAt = Instant.now().toString();
        Optional<ForkReport> fork = ForkReport.read(dir);
        if (fork.isPresent() && fork.get().skipped() != null) {
            return ResultRow.failed(info, CellStatus.SKIPPED, fork.get().skipped(), startedAt, finishedAt);
        }
        if (jmh.isEmpty() || fork.isEmpty() || fork.get().error() != null || fork.get().unit() == null) {
            String why = fork.map(ForkReport::error).orElse(null);
            if (why == null) why = diedWithout(dir);
            return ResultRow.failed(info, CellStatus.FAILED, why, startedAt, finishedAt);
        }
        ForkReport f = fork.get();
        Samples samples = new Samples(jmh.get().samplesMs().stream().mapToDouble(Double::doubleValue).toArray());
        Timing timing = timing(info, f.unit(), jmh.get(), samples).withPhases(f.phases());
        Memory memory = new Memory(jmh.get().peakRssMb(), f.heapPeakMb(), f.devicePeakMb(), f.deviceBaselineMb(),
                f.deviceSource(), f.keptMb());
        Cost cost = Cost.measured(f.flops(), f.bytes(), samples.median()).withSkipped(f.flopsSkipped());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("task", run.relative(dir.resolve(CellTask.FILE)));
        files.put("jmh", run.relative(dir.resolve(JmhCellRunner.JSON)));
        files.put("log", run.relative(dir.resolve(JmhCellRunner.LOG)));
        if (f.outputs() != null) files.put("outputs", run.relative(dir.resolve(f.outputs())));
        for (int i = 0; i < f.images().size(); i++) files.put("image_" + i, run.relative(dir.resolve(f.images().get(i))));
        Path prompts = CellTask.read(dir.resolve(CellTask.FILE)).prompts();
        if (prompts != null) files.put(PromptEncoding.FOLDER, run.relative(prompts));
        ResultRow row = new ResultRow(info, CellStatus.OK, null, timing, speedup(info, samples), memory, cost, null,
                f.settings(), files, startedAt, finishedAt);
        row = row.withCost(Limits.apply(row, run.rows()));
        try {
            return row.withQuality(comparisons.quality(row));
        } catch (RuntimeException e) {
            warn.accept("no fidelity for " + info.id() + ": " + e.getMessage());
            return row;
        }
    }

    static CellInfo info(Cell cell) {
        return info(cell, null);
    }

    /** The cell's description; a denoising cell's inputs are {@code prompts} when it sampled a prompt set. */
    static CellInfo info(Cell cell, String prompts) {
        Point p = cell.point();
        String inputs = p instanceof Point.Attention a ? a.workload().inputs()
                : p instanceof Point.Denoising u && u.workload().pipeline() != null ? prompts : null;
        int channels = p instanceof Point.Attention a ? a.workload().channels() : 0;
        int heads = p instanceof Point.Attention a ? a.workload().heads() : 0;
        int batch = p instanceof Point.Attention a ? a.workload().batch() : 1;
        int steps = p instanceof Point.Denoising u ? u.workload().steps() : 0;
        return new CellInfo(cell.id(), cell.backend(), cell.device().toString(), cell.dtype().name().toLowerCase(),
                p.kind(), cell.model(), p.grid(), p.resolutionPx(), p.tokens(), channels, heads, batch, steps,
                cell.variant() == null ? "-" : cell.variant().canonical(), cell.family(), kernel(cell), cell.referenceId(),
                inputs, cell.modelClass(), cell.variant() == null ? Map.of() : cell.variant().params(),
                cell.variant() == null ? null : cell.variant().label());
    }

    private static Kernel kernel(Cell cell) {
        return cell.variant() == null ? Kernel.NONE : new Kernel(cell.variant().kernel().name(), cell.variant().kernel().slice());
    }

    private static Timing timing(CellInfo info, String unit, JmhSamples jmh, Samples s) {
        double perSecond = 1e3 / s.median();
        double tokens = info.workload() == WorkloadKind.ATTENTION ? info.batch() * info.tokens() * perSecond : Double.NaN;
        double steps = info.workload() == WorkloadKind.DENOISING ? info.steps() * perSecond : Double.NaN;
        double images = info.workload() == WorkloadKind.DENOISING ? perSecond : Double.NaN;
        double[] ci = s.meanInterval(0.999);
        return new Timing(unit, jmh.samplesMs(), s.median(), s.mean(), s.standardDeviation(), s.percentile(10),
                s.percentile(90), s.percentile(99), ci[0], ci[1], jmh.forks(), tokens, steps, images);
    }

    private Speedup speedup(CellInfo info, Samples samples) {
        if (info.referenceId() == null) return Speedup.NONE;
        ResultRow ref = run.rowsById().get(info.referenceId());
        if (ref == null || !ref.ok()) return Speedup.NONE;
        MedianRatio r = MedianRatio.of(new Samples(ref.timing().samples()), samples, SPEEDUP_LEVEL, BOOTSTRAP_RESAMPLES, 0);
        return new Speedup(r.ratio(), r.low(), r.high());
    }

    /** Why a fork left no result: the first error line of its log, or that it was killed. */
    private String diedWithout(Path dir) {
        Path log = dir.resolve(JmhCellRunner.LOG);
        try (Stream<String> lines = Files.exists(log) ? Files.lines(log) : Stream.empty()) {
            List<String> errors = lines.filter(l -> l.contains("Exception") || l.contains("Error:")).limit(1).toList();
            String where = " (see " + run.relative(log) + ")";
            if (!errors.isEmpty()) return errors.get(0).trim() + where;
            return "the forked JVM ended without a result: killed, or out of native memory?" + where;
        } catch (IOException | UncheckedIOException e) {
            return "the forked JVM ended without a result";
        }
    }
}
