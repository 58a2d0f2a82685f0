package org.attnbench.harness.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.metrics.memory.PeakRss;
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
 * The backend's compute ceiling on this machine: one fp32 MatMul graph [2048 x 2048] x
 * [2048 x 2048] (17.2 GFLOP) run through the same {@code Executable} path and JVM settings as
 * {@link AttentionBenchmark}, so an attention cell's GFLOP/s can be read as a fraction of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {BenchRunner.DJL_OFFLINE, BenchRunner.STACK})
public class GemmBenchmark {
    @Param({"onnxruntime", "djl"})
    public String backend;

    private Executable executable;
    private Map<String, HostTensor> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        PeakRss.reset();
        inputs = Workloads.gemmInputs();
        executable = Backends.byName(backend).compile(Workloads.gemm(), Device.CPU, CompileOptions.DEFAULT);
    }

    @Benchmark
    public HostTensor matmul() {
        return executable.run(inputs).get(Workloads.GEMM_OUT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executable.close();
    }
}
