package org.attnbench.models.diffusion;

import java.util.Random;

/**
 * Euler ancestral, diffusers' EulerAncestralDiscreteScheduler: Euler's sigmas, timesteps and input
 * scaling, but each step goes down to sigma_down and adds fresh noise of sigma_up:
 * <pre>
 *   sigma_up = sqrt(sigma'^2 (sigma^2 - sigma'^2) / sigma^2),  sigma_down = sqrt(sigma'^2 - sigma_up^2)
 *   x' = x + (x - x0) / sigma (sigma_down - sigma) + sigma_up z,   z ~ N(0, 1)
 * </pre>
 * The noise z is seeded per image: {@link #begin} seeds a java.util.Random with the bitwise
 * complement of the image's seed (never the stream of a non-negative seed's initial latents), and
 * each step draws one nextGaussian per latent value, in the latents' row-major order.
 */
public final class EulerAncestralScheduler implements Scheduler {
    public static final String CLASS = "EulerAncestralDiscreteScheduler";
    public static final String NAME = "euler-ancestral";

    /** What an EulerAncestralDiscreteScheduler config sets. */
    public record Settings(NoiseSchedule schedule, Spacing spacing, int stepsOffset, Prediction prediction) {
        /** SD's: the named scheduler's fixed settings ("leading" with steps_offset 1, as SDXL's config) on a model's schedule. */
        public static Settings sd(NoiseSchedule schedule) {
            return new Settings(schedule, Spacing.LEADING, 1, Prediction.EPSILON);
        }

        /** Strictly from an EulerAncestralDiscreteScheduler config (diffusers' defaults for absent keys). */
        static Settings of(SchedulerConfig c) {
            // diffusers raises NotImplementedError for a sample prediction here
            return new Settings(c.noiseSchedule(true), c.spacing("linspace"), c.stepsOffset(),
                    c.prediction(Prediction.EPSILON, Prediction.V_PREDICTION));
        }
    }

    private final Settings settings;
    private final double[] timesteps;
    private final double[] sigmas;
    private Random noise;

    public EulerAncestralScheduler(Settings settings, int steps) {
        this.settings = settings;
        this.timesteps = EulerScheduler.spacedTimesteps(settings.schedule, settings.spacing, settings.stepsOffset, steps);
        this.sigmas = EulerScheduler.sigmasAt(settings.schedule, timesteps, false);
    }

    @Override
    public String name() {
        return NAME;
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

    @Override
    public double initNoiseSigma() {
        return EulerScheduler.initNoiseSigma(sigmas, settings.spacing);
    }

    @Override
    public double inputScale(int i) {
        return 1 / Math.sqrt(sigmas[i] * sigmas[i] + 1);
    }

    @Override
    public void begin(long seed) {
        noise = new Random(~seed);
    }

    /** A step with the image's seeded noise: {@link #begin} must have been called for this image. */
    @Override
    public void step(double[] x, double[] output, int i) {
        if (noise == null) throw new IllegalStateException("begin(seed) starts an image's noise before its first step");
        double[] z = new double[x.length];
        for (int k = 0; k < z.length; k++) z[k] = noise.nextGaussian();
        step(x, output, i, z);
    }

    /** A step with the noise given. */
    public void step(double[] x, double[] output, int i, double[] z) {
        double sigma = sigmas[i];
        double next = sigmas[i + 1];
        double up = Math.sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        double down = Math.sqrt(next * next - up * up);
        for (int k = 0; k < x.length; k++) {
            double x0 = EulerScheduler.x0(settings.prediction, x[k], output[k], sigma);
            x[k] += (x[k] - x0) / sigma * (down - sigma) + z[k] * up;
        }
    }
}
