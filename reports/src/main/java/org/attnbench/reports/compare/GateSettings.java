package org.attnbench.reports.compare;

import java.util.Map;

/**
 * When a change counts.
 *
 * <p>Speedups over the reference cell (and absolute times, when {@code gateTimes}) count when they
 * move by more than {@code factor} in either direction and a two-sided Mann-Whitney U test on the
 * samples gives p below {@code alpha} (asv's rule, its default factor 1.1). Fidelity values are
 * deterministic for a given machine class, so they count when their relative change passes the
 * metric's tolerance.
 *
 * @param factor the smallest ratio that counts, e.g. 1.10 for 10%
 * @param alpha significance level of the Mann-Whitney U test
 * @param tolerances relative tolerance per fidelity metric ({@code mse}, {@code max_abs},
 *     {@code cosine}, {@code psnr_db}, {@code hpf}); metrics not named are shown but not gated
 * @param gateTimes whether absolute median times are gated too (they travel badly between machines)
 */
public record GateSettings(double factor, double alpha, Map<String, Double> tolerances, boolean gateTimes) {
    public static final GateSettings DEFAULT = new GateSettings(1.10, 0.01,
            Map.of("mse", 0.10, "max_abs", 0.25, "cosine", 0.001), false);

    public GateSettings {
        if (!(factor > 1)) throw new IllegalArgumentException("factor must be above 1, got " + factor);
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        tolerances = Map.copyOf(tolerances);
    }
}
