package org.attnbench.models.diffusion;

import com.google.gson.JsonPrimitive;

/**
 * Deterministic DDIM (eta 0), diffusers' DDIMScheduler. Step i goes from timestep t to
 * t - T / N (integer division, whatever the spacing; below 0 it lands on the final alpha_bar:
 * 1 with set_alpha_to_one, else alpha_bar_0):
 * <pre>
 *   x0 = the model's clean-sample estimate (clipped to +-clip_sample_range with clip_sample);
 *   eps = its noise estimate;  x' = sqrt(a_prev) x0 + sqrt(1 - a_prev) eps
 * </pre>
 * The named scheduler {@code ddim} is SD's config: scaled-linear betas, "leading" timesteps with
 * steps_offset 1, epsilon prediction, no clipping, set_alpha_to_one false.
 */
public final class DdimScheduler implements Scheduler {
    public static final String CLASS = "DDIMScheduler";

    /** What a DDIMScheduler config sets. */
    public record Settings(NoiseSchedule schedule, Spacing spacing, int stepsOffset, Prediction prediction,
            boolean setAlphaToOne, boolean clipSample, double clipSampleRange) {
        /** SD's: the named scheduler's fixed settings on a model's schedule. */
        public static Settings sd(NoiseSchedule schedule) {
            return new Settings(schedule, Spacing.LEADING, 1, Prediction.EPSILON, false, false, 1);
        }

        /** Strictly from a DDIMScheduler config (diffusers' defaults for absent keys). */
        static Settings of(SchedulerConfig c) {
            c.only("thresholding", new JsonPrimitive(false));
            return new Settings(c.noiseSchedule(true), c.spacing("leading"), c.stepsOffset(),
                    c.prediction(Prediction.EPSILON, Prediction.V_PREDICTION, Prediction.SAMPLE),
                    c.bool("set_alpha_to_one", true), c.bool("clip_sample", true), c.positive("clip_sample_range", 1.0));
        }
    }

    private final Settings settings;
    private final int[] timesteps;
    private final int stride;

    /** SD's DDIM on a model's training schedule. */
    public DdimScheduler(NoiseSchedule schedule, int steps) {
        this(Settings.sd(schedule), steps);
    }

    public DdimScheduler(Settings settings, int steps) {
        int train = settings.schedule.trainSteps();
        Scheduler.checkSteps(steps, train);
        this.settings = settings;
        this.timesteps = settings.spacing.discrete(steps, train, settings.stepsOffset);
        this.stride = train / steps;
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

    @Override
    public void step(double[] x, double[] output, int i) {
        int t = timesteps[i];
        int prev = t - stride;
        double a = settings.schedule.alphaCumprod(t);
        double aPrev = prev >= 0 ? settings.schedule.alphaCumprod(prev) : finalAlphaCumprod();
        Prediction p = settings.prediction;
        double range = settings.clipSampleRange;
        for (int k = 0; k < x.length; k++) {
            double x0 = p.x0(x[k], output[k], a);
            double eps = p.eps(x[k], output[k], a);
            if (settings.clipSample) x0 = Math.max(-range, Math.min(range, x0));
            x[k] = Math.sqrt(aPrev) * x0 + Math.sqrt(1 - aPrev) * eps;
        }
    }

    private double finalAlphaCumprod() {
        return settings.setAlphaToOne ? 1 : settings.schedule.alphaCumprod(0);
    }
}
