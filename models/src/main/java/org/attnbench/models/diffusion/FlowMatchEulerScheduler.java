package org.attnbench.models.diffusion;

/**
 * Euler on a rectified flow, diffusers' FlowMatchEulerDiscreteScheduler as SD3's pipeline sets it
 * up (1000 training steps, a static shift): the model predicts the velocity v = noise - x0, and
 * x moves along it from sigma_i to sigma_{i+1}, x += (sigma_{i+1} - sigma_i) v. Latents start as
 * plain N(0, 1) noise (sigma 1) and are fed unscaled, with timestep 1000 sigma.
 *
 * <p>The sigmas: N points evenly spaced from sigma_max = 1 to sigma_min = shift(1/1000), each
 * shifted again by shift(s) = shift s / (1 + (shift - 1) s), then 0. (diffusers shifts its
 * training sigmas at construction, takes their ends as the range, and shifts the inference
 * points: the lower end is shifted twice, as here.)
 */
public final class FlowMatchEulerScheduler implements Scheduler {
    /** SD 3 and 3.5's scheduler_config shift. */
    public static final double SD3_SHIFT = 3.0;
    private static final int TRAIN_STEPS = 1000;
    private final double[] sigmas;

    public FlowMatchEulerScheduler(int steps, double shift) {
        double max = shifted(1.0, shift), min = shifted(1.0 / TRAIN_STEPS, shift);
        sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            double s = steps == 1 ? max : max + (min - max) * i / (steps - 1);
            sigmas[i] = shifted(s, shift);
        }
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

    @Override
    public double initNoiseSigma() {
        return 1;
    }

    @Override
    public double inputScale(int i) {
        return 1;
    }

    /** x += (sigma_{i+1} - sigma_i) v, v the predicted velocity. */
    @Override
    public void step(double[] x, double[] velocity, int i) {
        double dt = sigmas[i + 1] - sigmas[i];
        for (int k = 0; k < x.length; k++) x[k] += dt * velocity[k];
    }
}
