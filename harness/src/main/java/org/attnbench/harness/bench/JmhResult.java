package org.attnbench.harness.bench;

import java.util.Map;

/**
 * One benchmark cell as JMH reported it.
 *
 * @param benchmark the benchmark class's simple name ({@code AttentionBenchmark}, {@code GemmBenchmark})
 * @param params the JMH parameters ({@code backend}, {@code grid}, {@code variant})
 * @param medianMs the median time of one invocation
 * @param samples how many measured samples the median is over
 * @param peakRssMb peak resident memory of the forked JVM in MiB, NaN when not measured
 */
public record JmhResult(String benchmark, Map<String, String> params, double medianMs, int samples, double peakRssMb) {
    public static final String GEMM = GemmBenchmark.class.getSimpleName();

    public boolean isGemm() {
        return benchmark.equals(GEMM);
    }

    /** A parameter's value, or "" when the benchmark has no such parameter. */
    public String param(String name) {
        return params.getOrDefault(name, "");
    }
}
