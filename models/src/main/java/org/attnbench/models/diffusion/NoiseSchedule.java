package org.attnbench.models.diffusion;

/**
 * The noise schedule Stable Diffusion was trained with: 1000 steps, "scaled linear" betas
 * (linear in sqrt(beta) from 0.00085 to 0.012, then squared) and their cumulative alpha product.
 */
public final class NoiseSchedule {
    public static final int TRAIN_STEPS = 1000;
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;

    private final double[] betas = new double[TRAIN_STEPS];
    private final double[] alphasCumprod = new double[TRAIN_STEPS];

    public NoiseSchedule() {
        double lo = Math.sqrt(BETA_START);
        double hi = Math.sqrt(BETA_END);
        double product = 1;
        for (int t = 0; t < TRAIN_STEPS; t++) {
            double s = lo + (hi - lo) * t / (TRAIN_STEPS - 1);
            betas[t] = s * s;
            product *= 1 - betas[t];
            alphasCumprod[t] = product;
        }
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
}
