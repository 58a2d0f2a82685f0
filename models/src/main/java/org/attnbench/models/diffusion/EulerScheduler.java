package org.attnbench.models.diffusion;

import java.util.List;

/**
 * Euler (discrete), diffusers' EulerDiscreteScheduler without churn (as its pipelines call it). It
 * works in sigma space, sigma = sqrt((1 - alpha_bar) / alpha_bar): the latents start as noise
 * times the initial sigma and the model sees them divided by sqrt(sigma^2 + 1).
 * <pre>
 *   x0 = x - sigma eps  |  x / (sigma^2 + 1) - sigma v / sqrt(sigma^2 + 1)  |  the sample predicted
 *   x' = x + (x - x0) / sigma (sigma' - sigma)
 * </pre>
 * The sigmas are the training table's, linearly interpolated at the timesteps (exact lookup for
 * integer timesteps), then 0 or, with final_sigmas_type sigma_min, the table's lowest. The
 * timesteps the model sees are the spaced ones, or, with timestep_type continuous and
 * v-prediction, 0.25 log(sigma). The named scheduler {@code euler} is SD's config: scaled-linear
 * betas, "leading" timesteps with steps_offset 1, epsilon prediction.
 */
public final class EulerScheduler implements Scheduler {
    public static final String CLASS = "EulerDiscreteScheduler";

    /** What an EulerDiscreteScheduler config sets. */
    public record Settings(NoiseSchedule schedule, Spacing spacing, int stepsOffset, Prediction prediction,
            boolean finalSigmaMin, boolean continuousTimesteps) {
        /** SD's: the named scheduler's fixed settings on a model's schedule. */
        public static Settings sd(NoiseSchedule schedule) {
            return new Settings(schedule, Spacing.LEADING, 1, Prediction.EPSILON, false, false);
        }

        /** Strictly from an EulerDiscreteScheduler config (diffusers' defaults for absent keys). */
        static Settings of(SchedulerConfig c) {
            c.noSigmaConversions("use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas");
            c.choice("interpolation_type", "linear", List.of("linear"), List.of("log_linear"));
            Prediction prediction = Prediction.of(c.choice("prediction_type", "epsilon",
                    List.of("epsilon", "v_prediction", "sample", "original_sample"), List.of("flow_prediction")));
            boolean continuous = c.choice("timestep_type", "discrete", List.of("discrete", "continuous"), List.of())
                    .equals("continuous");
            boolean sigmaMin = c.choice("final_sigmas_type", "zero", List.of("zero", "sigma_min"), List.of())
                    .equals("sigma_min");
            return new Settings(c.noiseSchedule(true), c.spacing("linspace"), c.stepsOffset(), prediction, sigmaMin,
                    continuous && prediction == Prediction.V_PREDICTION);
        }
    }

    private final Settings settings;
    private final double[] timesteps;
    private final double[] sigmas;

    /** SD's Euler on a model's training schedule. */
    public EulerScheduler(NoiseSchedule schedule, int steps) {
        this(Settings.sd(schedule), steps);
    }

    public EulerScheduler(Settings settings, int steps) {
        this.settings = settings;
        this.timesteps = spacedTimesteps(settings.schedule, settings.spacing, settings.stepsOffset, steps);
        this.sigmas = sigmasAt(settings.schedule, timesteps, settings.finalSigmaMin);
        if (settings.continuousTimesteps) {
            for (int i = 0; i < timesteps.length; i++) timesteps[i] = (float) (0.25f * (float) Math.log(sigmas[i]));
        }
    }

    /** Euler's (and Euler ancestral's) timesteps: the spacing in float32, linspace unrounded. */
    static double[] spacedTimesteps(NoiseSchedule schedule, Spacing spacing, int offset, int steps) {
        Scheduler.checkSteps(steps, schedule.trainSteps());
        return spacing.timesteps(steps, schedule.trainSteps(), offset, false);
    }

    /** The table's sigmas interpolated at the timesteps (numpy.interp) in float32, then the final sigma. */
    static double[] sigmasAt(NoiseSchedule schedule, double[] timesteps, boolean finalSigmaMin) {
        double[] s = new double[timesteps.length + 1];
        for (int i = 0; i < timesteps.length; i++) {
            double t = timesteps[i];
            int lo = (int) Math.floor(t);
            int hi = Math.min(lo + 1, schedule.trainSteps() - 1);
            double lower = schedule.sigma(lo);
            s[i] = (float) (t == lo ? lower : lower + (schedule.sigma(hi) - lower) * (t - lo));
        }
        s[timesteps.length] = finalSigmaMin ? schedule.sigma(0) : 0;
        return s;
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

    /** The largest sigma, or sqrt(sigma_max^2 + 1) for "leading" spacing, as diffusers does. */
    @Override
    public double initNoiseSigma() {
        return initNoiseSigma(sigmas, settings.spacing);
    }

    static double initNoiseSigma(double[] sigmas, Spacing spacing) {
        double max = 0;
        for (double s : sigmas) max = Math.max(max, s);
        return spacing == Spacing.LEADING ? Math.sqrt(max * max + 1) : max;
    }

    @Override
    public double inputScale(int i) {
        return 1 / Math.sqrt(sigmas[i] * sigmas[i] + 1);
    }

    @Override
    public void step(double[] x, double[] output, int i) {
        double sigma = sigmas[i];
        double dt = sigmas[i + 1] - sigma;
        for (int k = 0; k < x.length; k++) {
            double x0 = x0(settings.prediction, x[k], output[k], sigma);
            x[k] += (x[k] - x0) / sigma * dt;
        }
    }

    /** The clean-sample estimate in sigma space (x = x0 + sigma eps). */
    static double x0(Prediction prediction, double x, double output, double sigma) {
        return switch (prediction) {
            case EPSILON -> x - sigma * output;
            case V_PREDICTION -> output * (-sigma / Math.sqrt(sigma * sigma + 1)) + x / (sigma * sigma + 1);
            case SAMPLE -> output;
        };
    }
}
