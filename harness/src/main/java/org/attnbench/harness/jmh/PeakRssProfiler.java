package org.attnbench.harness.jmh;

import java.util.Collection;
import java.util.List;
import org.attnbench.metrics.memory.PeakRss;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds the forked JVM's peak resident memory as the secondary result {@value #LABEL} (MiB).
 * It runs inside the fork after every iteration and reads VmHWM; the benchmark resets the mark
 * at trial setup, so the peak covers graph build, compile, warm-up and measurement, plus the
 * JVM itself. The maximum over iterations and forks is reported.
 */
public final class PeakRssProfiler implements InternalProfiler {
    public static final String LABEL = "peak-rss";

    @Override
    public String getDescription() {
        return "peak resident memory of the forked JVM (VmHWM)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {}

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        double mb = PeakRss.megabytes();
        return Double.isNaN(mb) ? List.of() : List.of(new ScalarResult(LABEL, mb, "MiB", AggregationPolicy.MAX));
    }
}
