package org.attnbench.harness.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.metrics.memory.PeakRss;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.tensor.HostTensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forward pass of the self-attention sub-block of an SD 1.5 level-1 transformer block
 * (320 channels, 8 heads of 40, batch 1) with one attention variant on one backend, on the CPU.
 *
 * <p>The graph is built and compiled once per trial, outside the timing; each measured
 * invocation is one {@code Executable.run} with the same Gaussian input, including the copy
 * of the input in and the output out. Runs take from tens of milliseconds to seconds, so every
 * invocation is its own sample ({@link Mode#SingleShotTime}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {BenchRunner.DJL_OFFLINE, BenchRunner.STACK})
public class AttentionBenchmark {
    @Param({"onnxruntime", "djl"})
    public String backend;

    @Param({"64x64", "96x96", "128x128"})
    public String grid;

    @Param({"dense", "dense:slice=1024", "dense:kernel=fused", "todo:factor=2", "todo:factor=2,kernel=fused",
            "tome:ratio=0.5", "tome-kv:ratio=0.5"})
    public String variant;

    private Executable executable;
    private Map<String, HostTensor> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        PeakRss.reset();
        inputs = Map.of(AttentionBlock.INPUT, BlockInputs.gaussian(Workloads.SEED + 1, Workloads.shape(grid)));
        executable = Backends.byName(backend).compile(Workloads.attention(grid, variant), Device.CPU,
                CompileOptions.DEFAULT);
    }

    @Benchmark
    public HostTensor forward() {
        return executable.run(inputs).get(AttentionBlock.OUTPUT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executable.close();
    }
}
