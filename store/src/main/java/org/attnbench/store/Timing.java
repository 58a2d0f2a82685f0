package org.attnbench.store;

import java.util.List;

/**
 * The timing of a cell: every measured sample and the statistics reports use.
 *
 * @param unit what one sample times: {@code forward} (one run of the graph), {@code image}
 *     (a whole denoising loop of one sample), {@code op} (a ceiling's operation)
 * @param samplesMs every measured sample in milliseconds, forks and iterations in order; within an
 *     iteration of sample-time mode (JMH keeps a histogram there) in ascending order
 * @param medianMs median
 * @param meanMs mean
 * @param stdMs sample standard deviation (N-1)
 * @param p10Ms 10th percentile
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param ciLowMs lower bound of the 99.9% Student-t interval of the mean (as JMH reports it)
 * @param ciHighMs upper bound of that interval
 * @param forks forked JVMs the samples come from (0: measured in the running JVM)
 * @param tokensPerS throughput in tokens a second (attention), NaN elsewhere
 * @param stepsPerS denoising steps a second (unet), NaN elsewhere
 * @param imagesPerS images a second (unet), NaN elsewhere
 * @param phases a denoising loop's steps per graph it ran (ToDo's schedule runs up to three), empty elsewhere
 */
public record Timing(String unit, List<Double> samplesMs, double medianMs, double meanMs, double stdMs, double p10Ms,
        double p90Ms, double p99Ms, double ciLowMs, double ciHighMs, int forks, double tokensPerS, double stepsPerS,
        double imagesPerS, List<StepPhase> phases) {

    public Timing {
        samplesMs = List.copyOf(samplesMs);
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    /** Timing without per-graph steps. */
    public Timing(String unit, List<Double> samplesMs, double medianMs, double meanMs, double stdMs, double p10Ms,
            double p90Ms, double p99Ms, double ciLowMs, double ciHighMs, int forks, double tokensPerS, double stepsPerS,
            double imagesPerS) {
        this(unit, samplesMs, medianMs, meanMs, stdMs, p10Ms, p90Ms, p99Ms, ciLowMs, ciHighMs, forks, tokensPerS, stepsPerS,
                imagesPerS, List.of());
    }

    public Timing withPhases(List<StepPhase> p) {
        return new Timing(unit, samplesMs, medianMs, meanMs, stdMs, p10Ms, p90Ms, p99Ms, ciLowMs, ciHighMs, forks, tokensPerS,
                stepsPerS, imagesPerS, p);
    }

    public double[] samples() {
        return samplesMs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
