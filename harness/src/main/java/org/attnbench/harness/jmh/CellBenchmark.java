package org.attnbench.harness.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.attnbench.core.UserError;
import org.attnbench.metrics.memory.DeviceMemorySampler;
import org.attnbench.metrics.memory.HeapPeak;
import org.attnbench.metrics.memory.PeakRss;
import org.attnbench.models.vae.Png;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.StepPhase;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.CellSkipped;
import org.attnbench.workloads.CellWorkload;
import org.attnbench.workloads.CellWorkloads;
import org.attnbench.workloads.PromptSamples;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One cell of a sweep, inside its forked JVM.
 *
 * <p>Trial setup builds and compiles the cell's workload (outside the timing). Each measured
 * invocation is one {@link CellWorkload#runOnce}: one forward of an attention block, or one whole
 * image of a denoising loop. Workloads take milliseconds to minutes, so by default every
 * invocation is its own sample (single-shot mode; the runner switches to sample-time mode when
 * the config sets a minimum time). The memory marks (peak RSS, heap, device) are reset when the
 * first measured iteration begins, so they hold what running the cell needs (weights resident,
 * every intermediate) and not the transient cost of building it. Trial teardown, untimed,
 * computes the fidelity outputs and writes them with the memory and cost figures
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
    private boolean measuring;
    private double heapPeakMb = Double.NaN;
    private double devicePeakMb = Double.NaN;

    @Setup(Level.Trial)
    public void setUp() {
        cellTask = CellTask.read(Path.of(task));
        try {
            Cell cell = cellTask.cell();
            device = cell.device().isCuda() ? DeviceMemorySampler.start(cell.device().index(), 100)
                    : DeviceMemorySampler.none("a CPU cell");
            PromptSamples prompts = cellTask.prompts() == null ? null : PromptSamples.open(cellTask.prompts());
            workload = CellWorkloads.open(cell, cellTask.seed(), cellTask.backendOptions(), cellTask.threads(), prompts, true);
            extraRuns = extraRuns(cell);
        } catch (CellSkipped | UserError e) {
            throw fail(true, e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw fail(false, "out of memory while building the cell (" + e.getMessage()
                    + "); raise -Xmx with timing.jvm_args or drop the cell", e);
        } catch (RuntimeException e) {
            throw fail(false, oneLine(e), e);
        }
    }

    /** The memory marks start over when the measured iterations begin. */
    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT || measuring) return;
        measuring = true;
        PeakRss.reset();
        HeapPeak.reset();
        device.resetPeak();
        workload.resetStepTimes();
    }

    @TearDown(Level.Iteration)
    public void afterIteration() {
        if (!measuring) return;
        heapPeakMb = max(heapPeakMb, HeapPeak.megabytes());
        devicePeakMb = max(devicePeakMb, device.peakMb());
    }

    @Benchmark
    public void run() {
        try {
            workload.runOnce();
            for (int i = 0; i < extraRuns; i++) workload.runOnce();
        } catch (RuntimeException e) {
            throw fail(false, oneLine(e), e);
        } catch (OutOfMemoryError e) {
            throw fail(false, oneLine(e), e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (workload == null) return;
        try {
            // Taken before the fidelity pass, whose loops are not timed.
            List<StepPhase> phases = workload.phases();
            String outputs = saveOutputs();
            new ForkReport(workload.unit(), workload.flops(), workload.bytes(), heapPeakMb, devicePeakMb,
                    device.baselineMb(), device.source(), workload.settings(), outputs, images(), null, null, phases,
                    workload.flopsSkipped(), workload.keptMb())
                    .write(cellTask.dir());
        } finally {
            closeAll();
        }
    }

    /**
     * Records why the cell could not run and releases what it holds (JMH skips the trial teardown
     * after a failure), then hands the error back to JMH.
     */
    private <E extends Throwable> E fail(boolean skipped, String reason, E error) {
        ForkReport.failure(skipped, reason).write(cellTask.dir());
        closeAll();
        return error;
    }

    private void closeAll() {
        if (device != null) device.close();
        if (workload != null) workload.close();
        workload = null;
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** Runs the fidelity samples once (the first fork) and keeps their outputs, and decoded images as PNG. */
    private String saveOutputs() {
        return saveOutputs(cellTask, workload);
    }

    static String saveOutputs(CellTask task, CellWorkload workload) {
        Path file = task.dir().resolve(OUTPUTS);
        if (Files.exists(file)) return OUTPUTS;
        Map<String, HostTensor> outputs = new LinkedHashMap<>();
        for (int s = 0; s < task.samples(); s++) {
            HostTensor out = workload.output(s);
            if (out == null) return null;
            outputs.put("sample_" + s, out);
            if (workload.decodesImages()) Png.write(out, task.dir().resolve(image(s)));
        }
        Safetensors.write(file, outputs);
        return OUTPUTS;
    }

    private List<String> images() {
        return images(cellTask, workload);
    }

    static List<String> images(CellTask task, CellWorkload workload) {
        if (!workload.decodesImages()) return List.of();
        return IntStream.range(0, task.samples()).mapToObj(CellBenchmark::image).toList();
    }

    static String image(int s) {
        return "image_" + s + ".png";
    }

    /** The test-only slowdown for this cell: {@value #EXTRA_RUNS} as SUBSTRING=N, or 0. */
    static int extraRuns(Cell cell) {
        String rule = System.getProperty(EXTRA_RUNS);
        int eq = rule == null ? -1 : rule.lastIndexOf('=');
        if (eq < 1 || cell.variant() == null) return 0;
        return cell.variantName().contains(rule.substring(0, eq)) ? Integer.parseInt(rule.substring(eq + 1)) : 0;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (e instanceof OutOfMemoryError ? "out of memory: " : "") + (nl < 0 ? m : m.substring(0, nl));
    }
}
