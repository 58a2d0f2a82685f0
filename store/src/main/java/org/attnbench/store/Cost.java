package org.attnbench.store;

/**
 * The work of one timed sample and how close it came to the machine's limits.
 *
 * @param flops floating-point operations of one sample (from the graph's nodes)
 * @param bytes minimal bytes one sample must move (inputs, outputs and weights once)
 * @param gflops achieved GFLOP/s at the median time
 * @param gbps achieved GB/s of the minimal bytes at the median time
 * @param peakGflops the measured GEMM rate of the same backend and device in the same run, NaN if absent
 * @param peakGbps the measured copy bandwidth of the same backend and device in the same run, NaN if absent
 * @param limitFraction roofline fraction: the time the limits allow (the larger of flops / peak
 *     rate and bytes / peak bandwidth) over the measured median; 1 means at the limit
 * @param flopsSkipped of a denoising loop with a cross-step method, the floating-point operations of
 *     one image it did not run: its token method's loop with the whole model at every step, less
 *     {@code flops}; 0 without a cross-step method, NaN for other workloads (and rows written before)
 */
public record Cost(double flops, double bytes, double gflops, double gbps, double peakGflops, double peakGbps,
        double limitFraction, Double flopsSkipped) {
    public Cost {
        flopsSkipped = flopsSkipped == null ? Double.NaN : flopsSkipped; // absent in rows written before
    }

    public static final Cost NONE = new Cost(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);

    /** A cost without a record of skipped work. */
    public Cost(double flops, double bytes, double gflops, double gbps, double peakGflops, double peakGbps, double limitFraction) {
        this(flops, bytes, gflops, gbps, peakGflops, peakGbps, limitFraction, Double.NaN);
    }

    /** This cost with the work a cross-step method skipped. */
    public Cost withSkipped(double skipped) {
        return new Cost(flops, bytes, gflops, gbps, peakGflops, peakGbps, limitFraction, skipped);
    }

    /** The work of one sample and the rates it ran at; the limits are absent until {@link #withLimits}. */
    public static Cost measured(double flops, double bytes, double medianMs) {
        double seconds = medianMs / 1e3;
        return new Cost(flops, bytes, flops / seconds / 1e9, bytes / seconds / 1e9, Double.NaN, Double.NaN, Double.NaN);
    }

    /** This cost with the limits of its backend and device filled in. */
    public Cost withLimits(double gemmGflops, double copyGbps, double medianMs) {
        double bound = Math.max(flops / (gemmGflops * 1e6), Double.isNaN(copyGbps) ? 0 : bytes / (copyGbps * 1e6));
        return new Cost(flops, bytes, gflops, gbps, gemmGflops, copyGbps, bound / medianMs, flopsSkipped);
    }
}
