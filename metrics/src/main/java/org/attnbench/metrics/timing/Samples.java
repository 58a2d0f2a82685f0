package org.attnbench.metrics.timing;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/** Timing samples of one cell, in milliseconds, with the order statistics and intervals reports use. */
public final class Samples {
    private final double[] sorted;

    public Samples(double[] millis) {
        if (millis.length == 0) throw new IllegalArgumentException("no samples");
        this.sorted = millis.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    public double median() {
        return percentile(50);
    }

    /** Linear interpolation between closest ranks (numpy's default), p in [0, 100]. */
    public double percentile(double p) {
        if (p < 0 || p > 100) throw new IllegalArgumentException("percentile " + p + " outside [0, 100]");
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    public double min() {
        return sorted[0];
    }

    public double mean() {
        return Arrays.stream(sorted).average().orElseThrow();
    }

    /** Sample standard deviation (N-1); 0 for one sample. */
    public double standardDeviation() {
        if (sorted.length < 2) return 0;
        double m = mean();
        double ss = 0;
        for (double v : sorted) ss += (v - m) * (v - m);
        return Math.sqrt(ss / (sorted.length - 1));
    }

    /**
     * The Student-t confidence interval of the mean at {@code level} (JMH reports 0.999):
     * mean +- t(1 - (1 - level)/2, N-1) * s / sqrt(N). Undefined (NaN bounds) for one sample.
     */
    public double[] meanInterval(double level) {
        if (sorted.length < 2) return new double[] {Double.NaN, Double.NaN};
        double t = new TDistribution(sorted.length - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
        double half = t * standardDeviation() / Math.sqrt(sorted.length);
        return new double[] {mean() - half, mean() + half};
    }

    public double[] values() {
        return sorted.clone();
    }
}
