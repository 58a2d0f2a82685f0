package org.attnbench.models.diffusion;

/**
 * A model's training noise schedule over 1000 steps: its betas and their cumulative alpha
 * product. Stable Diffusion's (the default) is "scaled linear": linear in sqrt(beta) from 0.00085
 * to 0.012, then squared; PixArt's is linear from 0.0001 to 0.02.
 */
public final class NoiseSchedule {
    public static final int TRAIN_STEPS = 1000;
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;

    private final double[] betas = new double[TRAIN_STEPS];
    private final double[] alphasCumprod = new double[TRAIN_STEPS];

    /** Stable Diffusion's schedule. */
    public NoiseSchedule() {
        this(true, BETA_START, BETA_END);
    }

    private NoiseSchedule(boolean scaled, double start, double end) {
        double lo = scaled ? Math.sqrt(start) : start;
        double hi = scaled ? Math.sqrt(end) : end;
        double product = 1;
        for (int t = 0; t < TRAIN_STEPS; t++) {
            double s = lo + (hi - lo) * t / (TRAIN_STEPS - 1);
            betas[t] = scaled ? s * s : s;
            product *= 1 - betas[t];
            alphasCumprod[t] = product;
        }
    }

    /** diffusers' "linear" beta schedule from {@code start} to {@code end}. */
    public static NoiseSchedule linear(double start, double end) {
        return new NoiseSchedule(false, start, end);
    }

    public double beta(int t) {
        return betas[t];
    }

    /** alpha_bar_t: the fraction of signal variance left at training step t. */
    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /** The noise-to-signal ratio sqrt((1 - alpha_bar_t) / alpha_bar_t) that Euler samplers step in. */
    public double sigma(int t) {
        return Math.sqrt((1 - alphasCumprod[t]) / alphasCumprod[t]);
    }

    /**
     * diffusers' "leading" spacing with steps_offset 1: every (1000 / steps)-th training step
     * from 0, highest first, shifted by one (50 steps: 981, 961, ..., 1).
     */
    static int[] leadingTimesteps(int steps) {
        int stride = TRAIN_STEPS / steps;
        int[] t = new int[steps];
        for (int i = 0; i < steps; i++) t[i] = (steps - 1 - i) * stride + 1;
        return t;
    }

    /**
     * diffusers' "linspace" spacing: steps + 1 points from 0 to 999, rounded half to even, highest
     * first, the last (0) dropped (20 steps: 999, 949, 899, ..., 50).
     */
    static int[] linspaceTimesteps(int steps) {
        int[] t = new int[steps];
        for (int i = 0; i < steps; i++) t[i] = (int) Math.rint((double) (TRAIN_STEPS - 1) * (steps - i) / steps);
        return t;
    }
}
