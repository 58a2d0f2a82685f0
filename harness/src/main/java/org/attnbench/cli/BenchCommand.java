package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.attnbench.harness.bench.BenchOptions;
import org.attnbench.harness.bench.BenchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the JMH benchmarks (attention variants and each backend's GEMM ceiling) and writes the table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"JMH benchmarks of the attention variants at SD 1.5 level-1 shapes (320 channels, 8 heads, batch 1) "
                + "and of each backend's GEMM ceiling.",
            "Prints and writes (CSV, Markdown, JMH JSON) median ms, GFLOP/s, fraction of the GEMM rate, "
                + "speedup over dense with the same kernel and peak resident memory."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--backend", split = ",", paramLabel = "NAME", description = "Backends (default: onnxruntime,djl).")
    List<String> backends;

    @Option(names = "--grid", split = ",", paramLabel = "HxW", description = "Latent grids (default: 64x64,96x96,128x128).")
    List<String> grids;

    @Option(names = "--variant", split = ";", paramLabel = "SPEC",
            description = "Variants, separated by ';' or by repeating the option (default: dense, dense:slice=1024, "
                    + "dense:kernel=fused, todo:factor=2, todo:factor=2,kernel=fused, tome:ratio=0.5, tome-kv:ratio=0.5).")
    List<String> variants;

    @Option(names = "--forks", defaultValue = "1", description = "Forked JVMs per cell (default ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up runs per fork (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5", description = "Measured runs per fork (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--no-gemm", description = "Skip the GEMM ceiling (the fraction column then prints '-').")
    boolean noGemm;

    @Option(names = "--force", description = "Also run unsliced dense matmul at 128x128 and above (~17 GB, ~10 s a run).")
    boolean force;

    @Option(names = "--out", paramLabel = "DIR", description = "Result folder (default: results/bench/<timestamp>).")
    Path out;

    @Override
    public Integer call() {
        BenchRunner.run(new BenchOptions(orDefault(backends, BenchOptions.BACKENDS), orDefault(grids, BenchOptions.GRIDS),
                orDefault(variants, BenchOptions.VARIANTS), forks, warmup, iterations, !noGemm, force, out));
        return 0;
    }

    private static List<String> orDefault(List<String> given, List<String> fallback) {
        return given == null || given.isEmpty() ? fallback : given;
    }
}
