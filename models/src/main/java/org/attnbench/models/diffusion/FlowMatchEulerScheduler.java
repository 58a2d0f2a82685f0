package org.attnbench.models.diffusion;

import org.attnbench.core.UserError;

/**
 * Euler on a rectified flow, diffusers' FlowMatchEulerDiscreteScheduler as SD3's and Flux's
 * pipelines set it up (1000 training steps): the model predicts the velocity v = noise - x0, and x
 * moves along it from sigma_i to sigma_{i+1}, x += (sigma_{i+1} - sigma_i) v. Latents start as
 * plain N(0, 1) noise (sigma 1) and are fed unscaled, with timestep 1000 sigma.
 *
 * <p>The sigmas, then 0:
 * <ul>
 *   <li>SD3 ({@link #sd3}, a static shift): N points evenly spaced from sigma_max = 1 to sigma_min =
 *       shift(1/1000), each shifted again by shift(s) = shift s / (1 + (shift - 1) s) (diffusers
 *       shifts its training sigmas at construction, takes their ends as the range, and shifts the
 *       inference points: the lower end is shifted twice, as here);</li>
 *   <li>Flux ({@link #flux}): the pipeline's N points from 1 to 1/N, shifted by the image's token
 *       count: mu rises linearly from 0.5 at 256 tokens to 1.15 at 4096 (and on beyond), and
 *       s becomes e^mu / (e^mu + 1/s - 1). Flux.1-schnell's scheduler does not shift.</li>
 * </ul>
 */
public final class FlowMatchEulerScheduler implements Scheduler {
    /** SD 3 and 3.5's scheduler_config shift. */
    public static final double SD3_SHIFT = 3.0;
    /** Flux.1-dev's scheduler_config: base_shift at base_image_seq_len, max_shift at max_image_seq_len. */
    public static final double BASE_SHIFT = 0.5, MAX_SHIFT = 1.15;
    public static final int BASE_TOKENS = 256, MAX_TOKENS = 4096;
    private static final int TRAIN_STEPS = 1000;
    private final double[] sigmas;

    private FlowMatchEulerScheduler(double[] sigmas) {
        this.sigmas = sigmas;
    }

    /**
     * A UserError unless a flow model is sampled with {@code euler} over at least one step: the
     * noise-prediction samplers do not apply to a velocity. {@code how} says how its Euler shifts.
     */
    public static void check(String model, String name, int steps, String how) {
        if (!name.equalsIgnoreCase("euler")) {
            throw new UserError(model + " predicts a flow velocity: sample it with scheduler euler (flow-matching Euler, "
                    + how + "), not " + name);
        }
        if (steps < 1) throw new UserError("steps must be at least 1, got " + steps);
    }

    /** SD3's schedule: the training range under a static shift, shifted again. */
    public static FlowMatchEulerScheduler sd3(int steps, double shift) {
        double max = shifted(1.0, shift), min = shifted(1.0 / TRAIN_STEPS, shift);
        double[] sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            double s = steps == 1 ? max : max + (min - max) * i / (steps - 1);
            sigmas[i] = shifted(s, shift);
        }
        return new FlowMatchEulerScheduler(sigmas);
    }

    /** Flux's schedule for an image of {@code tokens} packed tokens; {@code dynamicShift} false (schnell) leaves it unshifted. */
    public static FlowMatchEulerScheduler flux(int steps, int tokens, boolean dynamicShift) {
        double mu = mu(tokens);
        double[] sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            double s = 1.0 + (1.0 / steps - 1.0) * (steps == 1 ? 0 : (double) i / (steps - 1));
            sigmas[i] = dynamicShift ? Math.exp(mu) / (Math.exp(mu) + (1 / s - 1)) : s;
        }
        return new FlowMatchEulerScheduler(sigmas);
    }

    /** The pipeline's calculate_shift: linear in the token count through (256, 0.5) and (4096, 1.15). */
    public static double mu(int tokens) {
        double slope = (MAX_SHIFT - BASE_SHIFT) / (MAX_TOKENS - BASE_TOKENS);
        return BASE_SHIFT + slope * (tokens - BASE_TOKENS);
    }

    private static double shifted(double sigma, double shift) {
        return shift * sigma / (1 + (shift - 1) * sigma);
    }

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public int steps() {
        return sigmas.length - 1;
    }

    public double sigma(int i) {
        return sigmas[i];
    }

    /** 1000 sigma: a real number, not a training step index. */
    @Override
    public double timestep(int i) {
        return sigmas[i] * TRAIN_STEPS;
    }

    /** x += (sigma_{i+1} - sigma_i) v, v the predicted velocity. */
    @Override
    public void step(double[] x, double[] velocity, int i) {
        double dt = sigmas[i + 1] - sigmas[i];
        for (int k = 0; k < x.length; k++) x[k] += dt * velocity[k];
    }
}
