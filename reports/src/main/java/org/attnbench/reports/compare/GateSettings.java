package org.attnbench.reports.compare;

import java.util.Map;

/**
 * When a change counts.
 *
 * <p>Against a baseline of several runs (a history), a timed value counts when its logarithm lies
 * further from the baseline runs' mean than {@code spread} times their standard deviation (widened
 * for the few runs it is estimated from), and never within {@code factor}: the spread between whole
 * runs is what a verdict about a new run must beat, not the spread of samples inside one run.
 * Against a single run, speedups over the reference cell (and absolute times, when
 * {@code gateTimes}) count when they move by more than {@code factor} in either direction and a
 * two-sided Mann-Whitney U test on the samples gives p below {@code alpha} (asv's rule, its default
 * factor 1.1). Fidelity values are
 * deterministic for a given machine class, so they count when their relative change passes the
 * metric's tolerance.
 *
 * @param factor the smallest ratio that counts, e.g. 1.10 for 10%
 * @param alpha significance level of the Mann-Whitney U test
 * @param tolerances relative tolerance per fidelity metric ({@code mse}, {@code max_abs},
 *     {@code cosine}, {@code psnr_db}, {@code hpf}); metrics not named are shown but not gated
 * @param gateTimes whether absolute median times are gated too (they travel badly between machines)
 * @param spread against a baseline of several runs, how many of their run-to-run standard deviations
 *     (of the value's logarithm) a timed value may move before it counts, never less than
 *     {@code factor}; 0 keeps the Mann-Whitney rule even then
 * @param pairedRounds whether the runs were timed interleaved, so that sample i of every cell of a
 *     backend was taken in the same round: a ratio between two cells is then the median of their
 *     per-round ratios, which cancels what changed between rounds (else the ratio of their medians)
 */
public record GateSettings(double factor, double alpha, Map<String, Double> tolerances, boolean gateTimes,
        double spread, boolean pairedRounds) {
    public static final GateSettings DEFAULT = new GateSettings(1.10, 0.01,
            Map.of("mse", 0.10, "max_abs", 0.25, "cosine", 0.001), false, 4.0, false);

    public GateSettings(double factor, double alpha, Map<String, Double> tolerances, boolean gateTimes, double spread) {
        this(factor, alpha, tolerances, gateTimes, spread, false);
    }

    /** The same, with ratios between cells paired by round or not. */
    public GateSettings withPairedRounds(boolean paired) {
        return new GateSettings(factor, alpha, tolerances, gateTimes, spread, paired);
    }

    public GateSettings {
        if (!(factor > 1)) throw new IllegalArgumentException("factor must be above 1, got " + factor);
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        if (!(spread >= 0)) throw new IllegalArgumentException("spread must be 0 or more, got " + spread);
        tolerances = Map.copyOf(tolerances);
    }
}
