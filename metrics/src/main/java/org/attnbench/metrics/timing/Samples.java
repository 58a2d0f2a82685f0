package org.attnbench.metrics.timing;

import java.util.Arrays;

/** Timing samples of one cell, in milliseconds, with the order statistics reports use. */
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

    public double[] values() {
        return sorted.clone();
    }
}
