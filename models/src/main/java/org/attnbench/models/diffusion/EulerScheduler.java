package org.attnbench.models.diffusion;

/**
 * Euler (discrete) with diffusers' EulerDiscreteScheduler settings for SD: "leading" timesteps
 * with steps_offset 1, epsilon prediction, no churn. The sigmas are the schedule's
 * sqrt((1 - alpha_bar) / alpha_bar) at those timesteps (integers, so the linear interpolation
 * diffusers does is exact lookup), followed by 0.
 */
public final class EulerScheduler implements Scheduler {
    private final int[] timesteps;
    private final double[] sigmas;

    public EulerScheduler(NoiseSchedule schedule, int steps) {
        this.timesteps = NoiseSchedule.leadingTimesteps(steps);
        this.sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) sigmas[i] = schedule.sigma(timesteps[i]);
    }

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public int steps() {
        return timesteps.length;
    }

    @Override
    public double timestep(int i) {
        return timesteps[i];
    }

    public double sigma(int i) {
        return sigmas[i];
    }

    /**
     * sqrt(sigma_max^2 + 1), as diffusers does for "leading" spacing (it returns the bare
     * sigma_max only for "linspace" and "trailing"); sigma_max is the first inference sigma.
     */
    @Override
    public double initNoiseSigma() {
        return Math.sqrt(sigmas[0] * sigmas[0] + 1);
    }

    @Override
    public double inputScale(int i) {
        return 1 / Math.sqrt(sigmas[i] * sigmas[i] + 1);
    }

    /** x0 = x - sigma eps; x moves along (x - x0) / sigma = eps from sigma_i to sigma_{i+1}. */
    @Override
    public void step(double[] x, double[] eps, int i) {
        double dt = sigmas[i + 1] - sigmas[i];
        for (int k = 0; k < x.length; k++) {
            double x0 = x[k] - sigmas[i] * eps[k];
            double derivative = (x[k] - x0) / sigmas[i];
            x[k] += derivative * dt;
        }
    }
}
