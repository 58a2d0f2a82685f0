package org.attnbench.harness.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.attnbench.backend.Backends;
import org.attnbench.core.UserError;
import org.attnbench.models.attention.VariantSpec;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks with JMH and writes the table. One JMH run measures every backend's GEMM
 * ceiling ({@code jmh-gemm.json}); then one run per backend and grid measures its attention
 * cells ({@code jmh-BACKEND-GRID.json}), leaving out the variants that backend cannot run and,
 * unless forced, the oversized ones (see {@link Workloads#oversized}). The table goes to
 * the console and, beside the JSON files, to {@code table.csv} and {@code table.md}.
 *
 * <p>The forked JVMs reuse this JVM's classpath, so run it with {@code java -cp} or
 * {@code attnbench bench}, not inside Maven.
 */
public final class BenchRunner {
    /** JVM options of every fork (also on the benchmarks' {@code @Fork}, for runs without this runner). */
    static final String DJL_OFFLINE = "-Dai.djl.offline=true";
    static final String STACK = "-Xss4m";

    private BenchRunner() {}

    public static void main(String[] args) {
        try {
            run(BenchOptions.parse(args));
        } catch (UserError e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs the benchmarks and returns the table (also written under {@code o.out()}). */
    public static BenchTable run(BenchOptions o) {
        for (String v : o.variants()) VariantSpec.parse(v);
        for (String g : o.grids()) Workloads.shape(g);
        List<Path> files = new ArrayList<>();
        Set<List<String>> requested = new LinkedHashSet<>();
        try {
            Files.createDirectories(o.out());
            if (o.gemm()) {
                files.add(jmh(o, GemmBenchmark.class, o.out().resolve("jmh-gemm.json"),
                        b -> b.param("backend", o.backends().toArray(String[]::new))));
            }
            for (String backend : o.backends()) {
                for (String grid : o.grids()) {
                    List<String> variants = runnable(o, backend, grid);
                    if (variants.isEmpty()) continue;
                    variants.forEach(v -> requested.add(List.of(backend, grid, v)));
                    files.add(jmh(o, AttentionBenchmark.class, o.out().resolve("jmh-" + backend + "-" + grid + ".json"),
                            b -> b.param("backend", backend).param("grid", grid)
                                    .param("variant", variants.toArray(String[]::new))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
        List<JmhResult> results = new ArrayList<>();
        for (Path f : files) results.addAll(JmhResults.read(f));
        results.forEach(r -> requested.remove(List.of(r.param("backend"), r.param("grid"), r.param("variant"))));
        requested.forEach(c -> System.out.println("no result for " + String.join(" ", c) + ": it failed (see the log above)"));
        BenchTable table = BenchTable.of(results, Workloads::flops);
        write(o.out().resolve("table.csv"), table.toCsv());
        write(o.out().resolve("table.md"), table.toMarkdown());
        System.out.println();
        System.out.print(table.toText());
        System.out.println("results: " + o.out());
        return table;
    }

    /** The variants a backend can run at a grid, printing why each other one is skipped. */
    private static List<String> runnable(BenchOptions o, String backend, String grid) {
        List<String> out = new ArrayList<>();
        for (String v : o.variants()) {
            Optional<String> why = Backends.byName(backend).unsupported(Workloads.attention(grid, v));
            if (why.isEmpty() && Workloads.oversized(grid, v) && !o.forceOversized()) {
                why = Optional.of("full score matrices need ~17 GB and ~10 s a run (--force runs it)");
            }
            if (why.isPresent()) System.out.println("skipped " + backend + " " + grid + " " + v + ": " + why.get());
            else out.add(v);
        }
        return out;
    }

    private interface Params {
        void add(ChainedOptionsBuilder builder);
    }

    private static Path jmh(BenchOptions o, Class<?> benchmark, Path json, Params params) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .forks(o.forks())
                .warmupIterations(o.warmup())
                .measurementIterations(o.iterations())
                .jvmArgsAppend(DJL_OFFLINE, STACK)
                .addProfiler(PeakRssProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        params.add(b);
        new Runner(b.build()).run();
        return json;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
