package org.attnbench.harness.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.Cell;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.workloads.CellSkipped;
import org.attnbench.harness.workloads.CellWorkload;
import org.attnbench.harness.workloads.CellWorkloads;
import org.attnbench.metrics.memory.DeviceMemorySampler;
import org.attnbench.metrics.memory.HeapPeak;
import org.attnbench.metrics.memory.PeakRss;
import org.attnbench.models.vae.Png;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One cell of a sweep, inside its forked JVM.
 *
 * <p>Trial setup resets the peak-memory marks, then builds and compiles the cell's workload
 * (outside the timing). Each measured invocation is one {@link CellWorkload#runOnce}: one
 * forward of an attention block, or one whole image of a denoising loop. Workloads take
 * milliseconds to minutes, so by default every invocation is its own sample (single-shot mode;
 * the runner switches to sample-time mode when the config sets a minimum time). Trial teardown,
 * untimed, computes the fidelity outputs and writes them with the memory and cost figures
 * ({@link ForkReport}) to the cell's folder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CellBenchmark {
    /** Test-only: {@code -Dattnbench.test.extraRuns=SUBSTRING=N} runs the workload N more times per sample in cells whose variant contains SUBSTRING. */
    public static final String EXTRA_RUNS = "attnbench.test.extraRuns";
    public static final String OUTPUTS = "outputs.safetensors";

    /** Path of the cell's {@link CellTask} file. */
    @Param("")
    public String task;

    private CellTask cellTask;
    private CellWorkload workload;
    private DeviceMemorySampler device;
    private int extraRuns;

    @Setup(Level.Trial)
    public void setUp() {
        cellTask = CellTask.read(Path.of(task));
        try {
            SweepConfig config = cellTask.config();
            Cell cell = cellTask.cell(config);
            PeakRss.reset();
            HeapPeak.reset();
            device = cell.device().isCuda() ? DeviceMemorySampler.start(cell.device().index(), 100)
                    : DeviceMemorySampler.none("a CPU cell");
            workload = CellWorkloads.open(cell, config.seed());
            extraRuns = extraRuns(cell);
        } catch (CellSkipped | UserError e) {
            ForkReport.failure(true, e.getMessage()).write(cellTask.dir());
            throw e;
        } catch (OutOfMemoryError e) {
            ForkReport.failure(false, "out of memory while building the cell (" + e.getMessage()
                    + "); raise -Xmx through ATTNBENCH_JAVA_OPTS or drop the cell").write(cellTask.dir());
            throw e;
        } catch (RuntimeException e) {
            ForkReport.failure(false, oneLine(e)).write(cellTask.dir());
            throw e;
        }
    }

    @Benchmark
    public void run() {
        try {
            workload.runOnce();
            for (int i = 0; i < extraRuns; i++) workload.runOnce();
        } catch (RuntimeException | OutOfMemoryError e) {
            ForkReport.failure(false, oneLine(e)).write(cellTask.dir());
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (workload == null) return;
        try {
            String outputs = saveOutputs();
            ForkReport report = new ForkReport(workload.unit(), workload.flops(), workload.bytes(), HeapPeak.megabytes(),
                    device.peakMb(), device.baselineMb(), device.source(), workload.settings(), outputs, images(), null, null);
            report.write(cellTask.dir());
        } finally {
            device.close();
            workload.close();
        }
    }

    /** Runs the fidelity samples once (the first fork) and keeps their outputs, and decoded images as PNG. */
    private String saveOutputs() {
        Path file = cellTask.dir().resolve(OUTPUTS);
        if (Files.exists(file)) return OUTPUTS;
        Map<String, HostTensor> outputs = new LinkedHashMap<>();
        for (int s = 0; s < cellTask.samples(); s++) {
            HostTensor out = workload.output(s);
            if (out == null) return null;
            outputs.put("sample_" + s, out);
            if (workload.decodesImages()) Png.write(out, cellTask.dir().resolve(image(s)));
        }
        Safetensors.write(file, outputs);
        return OUTPUTS;
    }

    private List<String> images() {
        if (!workload.decodesImages()) return List.of();
        return IntStream.range(0, cellTask.samples()).mapToObj(CellBenchmark::image).toList();
    }

    static String image(int s) {
        return "image_" + s + ".png";
    }

    private static int extraRuns(Cell cell) {
        String rule = System.getProperty(EXTRA_RUNS);
        if (rule == null || cell.variant() == null) return 0;
        int eq = rule.lastIndexOf('=');
        return cell.variantName().contains(rule.substring(0, eq)) ? Integer.parseInt(rule.substring(eq + 1)) : 0;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (e instanceof OutOfMemoryError ? "out of memory: " : "") + (nl < 0 ? m : m.substring(0, nl));
    }
}
