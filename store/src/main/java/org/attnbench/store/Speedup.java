package org.attnbench.store;

/**
 * A cell's speedup over its reference cell measured in the same run: median(reference) /
 * median(cell), with a 95% percentile-bootstrap interval. NaN when the reference did not run.
 */
public record Speedup(double ratio, double low, double high) {
    public static final Speedup NONE = new Speedup(Double.NaN, Double.NaN, Double.NaN);
}
