package org.attnbench.harness.jmh;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.attnbench.core.UserError;
import org.attnbench.harness.config.TimingSettings;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;

/**
 * Times one cell through JMH's Runner: {@link CellBenchmark} with the cell's task file, the
 * sweep's warm-up, iterations and forks, the peak-memory profiler, JMH's JSON kept as
 * {@code jmh.json} and its console output as {@code jmh.log} in the cell's folder.
 */
public final class JmhCellRunner {
    public static final String JSON = "jmh.json";
    public static final String LOG = "jmh.log";
    /** A whole-image cell at a large resolution can take many minutes per sample. */
    private static final TimeValue TIMEOUT = TimeValue.hours(6);

    private final TimingSettings timing;

    public JmhCellRunner(TimingSettings timing) {
        this.timing = timing;
    }

    /** Runs the cell; empty when JMH produced no result (the fork failed or died; see fork.json and jmh.log). */
    public Optional<JmhSamples> run(Path taskFile, Path cellDir) {
        Path json = cellDir.resolve(JSON);
        try (OutputStream log = Files.newOutputStream(cellDir.resolve(LOG));
                PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            Files.deleteIfExists(json);
            ChainedOptionsBuilder b = new OptionsBuilder()
                    .include("^" + Pattern.quote(CellBenchmark.class.getName()) + "\\.run$")
                    .param("task", taskFile.toAbsolutePath().toString())
                    .forks(timing.forks())
                    .warmupIterations(timing.warmup())
                    .measurementIterations(timing.iterations())
                    .jvmArgsAppend(forkArgs(timing))
                    .addProfiler(PeakRssProfiler.class)
                    .timeout(TIMEOUT)
                    .shouldFailOnError(false)
                    .resultFormat(ResultFormatType.JSON)
                    .result(json.toString());
            if (timing.minTimeS() > 0) {
                TimeValue t = TimeValue.milliseconds(Math.round(timing.minTimeS() * 1000));
                b.mode(Mode.SampleTime).measurementTime(t).warmupTime(t);
            }
            new Runner(b.build(), OutputFormatFactory.createFormatInstance(out, VerboseMode.NORMAL)).run();
        } catch (RunnerException e) {
            String why = String.valueOf(e.getMessage()).replaceFirst("^ERROR: ", "").lines().findFirst().orElse("");
            if (why.contains("JMH lock")) {
                // Two benchmarks at once would disturb each other's timings: stop, and let a rerun resume.
                Path run = cellDir.toAbsolutePath().getParent().getParent();
                throw new UserError("another benchmark holds JMH's lock on this machine (" + why
                        + "); wait for it to finish, then 'attnbench run --resume " + run + "'");
            }
            ForkReport.failure(false, "JMH could not run the cell: " + why).write(cellDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JmhSamples.read(json);
    }

    /**
     * JVM options of every fork: offline DJL, the stack deep graphs need, direct memory (where the
     * weights live) up to the machine's memory rather than the heap's default size, the config's own
     * (which may override those), and the test-only slowdown when set.
     */
    public static String[] forkArgs(TimingSettings timing) {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        List<String> args = new ArrayList<>(List.of("-Dai.djl.offline=true", "-Xss4m",
                "-XX:MaxDirectMemorySize=" + machine / (1 << 20) + "m"));
        args.addAll(timing.jvmArgs());
        String extra = System.getProperty(CellBenchmark.EXTRA_RUNS);
        if (extra != null) args.add("-D" + CellBenchmark.EXTRA_RUNS + "=" + extra);
        return args.toArray(String[]::new);
    }
}
