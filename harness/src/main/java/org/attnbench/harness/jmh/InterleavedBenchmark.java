package org.attnbench.harness.jmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.attnbench.core.UserError;
import org.attnbench.metrics.memory.HeapPeak;
import org.attnbench.metrics.memory.PeakRss;
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
 * Several cells in one forked JVM, timed in rounds ({@code timing.interleave}).
 *
 * <p>Trial setup builds and compiles every cell of the {@link GroupTask}. Each JMH invocation is
 * one round: every cell's {@link CellWorkload#runOnce} once, each timed on its own, starting one
 * cell further along each round so that no cell always follows the same one. Whatever slows the
 * machine for longer than a round (another process, a frequency change) slows every cell alike,
 * which is what makes ratios between cells steady on a shared machine. JMH's own score (a round's
 * time) is not used: the trial teardown appends each cell's samples to its
 * {@link InterleavedSamples} and writes its {@link ForkReport} and outputs as {@link CellBenchmark}
 * does. A cell that fails is recorded as failed and the others go on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InterleavedBenchmark {
    /** Path of the group's {@link GroupTask} file. */
    @Param("")
    public String group;

    private final List<Member> members = new ArrayList<>();
    private boolean measuring;
    private int round;

    /** One cell of the group, open, with this fork's samples. */
    private static final class Member {
        final CellTask task;
        CellWorkload workload;
        int extraRuns;
        final List<Double> samplesMs = new ArrayList<>();

        Member(CellTask task) {
            this.task = task;
        }

        void fail(boolean skipped, String reason) {
            ForkReport.failure(skipped, reason).write(task.dir());
            close();
        }

        void close() {
            if (workload != null) workload.close();
            workload = null;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        for (String file : GroupTask.read(Path.of(group)).tasks()) {
            Member m = new Member(CellTask.read(Path.of(file)));
            members.add(m);
            try {
                PromptSamples prompts = m.task.prompts() == null ? null : PromptSamples.open(m.task.prompts());
                m.workload = CellWorkloads.open(m.task.cell(), m.task.seed(), m.task.backendOptions(), m.task.threads(),
                        prompts, false);
                m.extraRuns = CellBenchmark.extraRuns(m.task.cell());
            } catch (CellSkipped | UserError e) {
                m.fail(true, e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                m.fail(false, CellBenchmark.oneLine(e));
            }
        }
    }

    /** The memory marks and step times start over when the measured rounds begin. */
    @Setup(Level.Iteration)
    public void beforeIteration(IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT || measuring) return;
        measuring = true;
        PeakRss.reset();
        HeapPeak.reset();
        for (Member m : members) {
            if (m.workload != null) m.workload.resetStepTimes();
        }
    }

    @Benchmark
    public void round() {
        int n = members.size();
        for (int k = 0; k < n; k++) {
            Member m = members.get((round + k) % n);
            if (m.workload == null) continue;
            long start = System.nanoTime();
            try {
                m.workload.runOnce();
                for (int i = 0; i < m.extraRuns; i++) m.workload.runOnce();
            } catch (RuntimeException | OutOfMemoryError e) {
                m.fail(false, CellBenchmark.oneLine(e));
                continue;
            }
            if (measuring) m.samplesMs.add((System.nanoTime() - start) / 1e6);
        }
        round++;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        double rss = PeakRss.megabytes();
        double heap = HeapPeak.megabytes();
        for (Member m : members) {
            if (m.workload == null) continue;
            try {
                CellWorkload w = m.workload;
                var phases = w.phases();
                String outputs = CellBenchmark.saveOutputs(m.task, w);
                new ForkReport(w.unit(), w.flops(), w.bytes(), heap, Double.NaN, Double.NaN, "not measured: interleaved cells share their fork", w.settings(),
                        outputs, CellBenchmark.images(m.task, w), null, null, phases, w.flopsSkipped(), w.keptMb())
                        .write(m.task.dir());
                InterleavedSamples.append(m.task.dir(), m.samplesMs, rss);
            } catch (RuntimeException | OutOfMemoryError e) {
                m.fail(false, CellBenchmark.oneLine(e));
            } finally {
                m.close();
            }
        }
    }
}
