package org.attnbench.models.diffusion;

/**
 * Deterministic DDIM (eta 0) with diffusers' DDIMScheduler settings for SD: "leading" timesteps
 * with steps_offset 1, epsilon prediction, no sample clipping, and set_alpha_to_one false (the
 * step past t = 0 uses alpha_bar_0, not 1).
 */
public final class DdimScheduler implements Scheduler {
    private final NoiseSchedule schedule;
    private final int[] timesteps;
    private final int stride;

    public DdimScheduler(NoiseSchedule schedule, int steps) {
        this.schedule = schedule;
        this.timesteps = NoiseSchedule.leadingTimesteps(steps);
        this.stride = NoiseSchedule.TRAIN_STEPS / steps;
    }

    @Override
    public String name() {
        return "ddim";
    }

    @Override
    public int steps() {
        return timesteps.length;
    }

    @Override
    public double timestep(int i) {
        return timesteps[i];
    }

    /** x0 = (x - sqrt(1 - a_t) eps) / sqrt(a_t); x_prev = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps. */
    @Override
    public void step(double[] x, double[] eps, int i) {
        int t = timesteps[i];
        int prev = t - stride;
        double a = schedule.alphaCumprod(t);
        double aPrev = schedule.alphaCumprod(Math.max(prev, 0));
        double sa = Math.sqrt(a);
        double sn = Math.sqrt(1 - a);
        double saPrev = Math.sqrt(aPrev);
        double snPrev = Math.sqrt(1 - aPrev);
        for (int k = 0; k < x.length; k++) {
            double x0 = (x[k] - sn * eps[k]) / sa;
            x[k] = saPrev * x0 + snPrev * eps[k];
        }
    }
}
