package org.attnbench.models.diffusion;

import com.google.gson.JsonPrimitive;
import java.util.List;
import org.attnbench.core.UserError;

/**
 * Euler on a rectified flow, diffusers' FlowMatchEulerDiscreteScheduler: the model predicts the
 * velocity v = noise - x0, and x moves along it from sigma_i to sigma_{i+1},
 * x += (sigma_{i+1} - sigma_i) v. Latents start as plain N(0, 1) noise (sigma 1) and are fed
 * unscaled, with timestep 1000 sigma (T sigma for T training steps).
 *
 * <p>The sigmas, then 0, for N steps:
 * <ul>
 *   <li>the points: N evenly spaced from sigma_max to sigma_min of the training sigmas (1 and 1/T,
 *       each shifted by the static shift unless the shift is dynamic), or, from Flux's pipeline,
 *       N from 1 to 1/N;</li>
 *   <li>each shifted: statically, shift s / (1 + (shift - 1) s) (so SD3's lower end is shifted
 *       twice), or dynamically by the image's token count, e^mu / (e^mu + 1/s - 1) ("exponential")
 *       or mu / (mu + 1/s - 1) ("linear"), where mu rises linearly from base_shift at
 *       base_image_seq_len tokens to max_shift at max_image_seq_len (and on beyond), as the
 *       pipelines' calculate_shift sets it;</li>
 *   <li>with shift_terminal, stretched so the last is shift_terminal: 1 - (1 - s) (1 - terminal) / (1 - s_last).</li>
 * </ul>
 * Without a config, SD3's pipeline runs SD3-medium's config (static shift 3) and Flux's runs
 * Flux.1-dev's (dynamic shift, 0.5 at 256 tokens to 1.15 at 4096) or Flux.1-schnell's (unshifted).
 */
public final class FlowMatchEulerScheduler implements Scheduler {
    public static final String CLASS = "FlowMatchEulerDiscreteScheduler";
    /** SD 3 and 3.5's scheduler_config shift. */
    public static final double SD3_SHIFT = 3.0;
    /** Flux.1-dev's scheduler_config: base_shift at base_image_seq_len, max_shift at max_image_seq_len. */
    public static final double BASE_SHIFT = 0.5, MAX_SHIFT = 1.15;
    public static final int BASE_TOKENS = 256, MAX_TOKENS = 4096;

    /** What a FlowMatchEulerDiscreteScheduler config sets. */
    public record Settings(int trainSteps, double shift, boolean dynamic, double baseShift, double maxShift,
            int baseTokens, int maxTokens, boolean linearTimeShift, double shiftTerminal) {
        /** A static shift (SD3's 3.0), diffusers' defaults otherwise. */
        public static Settings staticShift(double shift) {
            return new Settings(1000, shift, false, BASE_SHIFT, MAX_SHIFT, BASE_TOKENS, MAX_TOKENS, false, Double.NaN);
        }

        /** Flux.1-dev's dynamic shift. */
        public static Settings fluxDev() {
            return new Settings(1000, SD3_SHIFT, true, BASE_SHIFT, MAX_SHIFT, BASE_TOKENS, MAX_TOKENS, false, Double.NaN);
        }

        /** Strictly from a FlowMatchEulerDiscreteScheduler config (diffusers' defaults for absent keys). */
        static Settings of(SchedulerConfig c) {
            c.noSigmaConversions("use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas", "invert_sigmas",
                    "stochastic_sampling");
            boolean linear = c.choice("time_shift_type", "exponential", List.of("exponential", "linear"), List.of())
                    .equals("linear");
            double terminal = c.number("shift_terminal", Double.NaN); // 0, like null, is off
            if (terminal == 0) terminal = Double.NaN;
            if (!Double.isNaN(terminal) && !(terminal > 0 && terminal < 1)) {
                throw new UserError("scheduler config " + c.file() + ": shift_terminal must be between 0 and 1, got " + terminal);
            }
            int baseTokens = c.integer("base_image_seq_len", BASE_TOKENS, 1);
            int maxTokens = c.integer("max_image_seq_len", MAX_TOKENS, 1);
            if (maxTokens == baseTokens) {
                throw new UserError("scheduler config " + c.file() + ": max_image_seq_len must differ from base_image_seq_len");
            }
            return new Settings(c.trainSteps(), c.positive("shift", 1.0), c.bool("use_dynamic_shifting", false),
                    c.number("base_shift", BASE_SHIFT), c.number("max_shift", MAX_SHIFT), baseTokens, maxTokens, linear,
                    terminal);
        }

        /** The pipelines' calculate_shift: linear in the token count through (base_tokens, base_shift) and (max_tokens, max_shift). */
        public double mu(int tokens) {
            double m = (maxShift - baseShift) / (maxTokens - baseTokens);
            double b = baseShift - m * baseTokens;
            return tokens * m + b;
        }
    }

    /**
     * What a flow pipeline passes besides the step count: the image's token count (for a dynamic
     * shift) and whether it spaces its own sigmas from 1 to 1/N, as Flux's pipeline does.
     */
    public record Pipeline(int imageTokens, boolean fluxSigmas) {
        /** For a scheduler that is not a flow's: nothing. */
        public static final Pipeline NONE = new Pipeline(0, false);
    }

    private final double[] sigmas;
    private final double[] timesteps;
    private final int trainSteps;

    public FlowMatchEulerScheduler(Settings settings, int steps, Pipeline pipeline) {
        if (steps < 1) throw new UserError("steps must be at least 1, got " + steps);
        this.trainSteps = settings.trainSteps;
        double[] points = pipeline.fluxSigmas ? Spacing.linspace(1.0, 1.0 / steps, steps) : schedulerPoints(settings, steps);
        double mu = settings.mu(pipeline.imageTokens);
        this.sigmas = new double[steps + 1];
        this.timesteps = new double[steps];
        // diffusers rounds sigmas a pipeline passes to float32 and shifts them in float32; its own in float64
        double[] shifted = new double[steps];
        for (int i = 0; i < steps; i++) {
            shifted[i] = pipeline.fluxSigmas ? shiftedFloat(settings, mu, (float) points[i]) : shifted(settings, mu, points[i]);
        }
        if (!Double.isNaN(settings.shiftTerminal)) {
            if (pipeline.fluxSigmas) {
                float scale = (1f - (float) shifted[steps - 1]) / (float) (1 - settings.shiftTerminal);
                for (int i = 0; i < steps; i++) shifted[i] = 1f - (1f - (float) shifted[i]) / scale;
            } else {
                double scale = (1 - shifted[steps - 1]) / (1 - settings.shiftTerminal);
                for (int i = 0; i < steps; i++) shifted[i] = 1 - (1 - shifted[i]) / scale;
            }
        }
        for (int i = 0; i < steps; i++) {
            float sigma = (float) shifted[i];
            sigmas[i] = sigma;
            timesteps[i] = sigma * (float) trainSteps;
        }
    }

    /**
     * N points from the training sigmas' ends: diffusers keeps them in float32, 1 and 1/T, each
     * shifted by the static shift in float32 unless the shift is dynamic.
     */
    private static double[] schedulerPoints(Settings settings, int steps) {
        float max = 1f;
        float min = 1f / settings.trainSteps;
        if (!settings.dynamic) {
            max = shiftedFloat(max, settings.shift);
            min = shiftedFloat(min, settings.shift);
        }
        double[] t = Spacing.linspace((double) max * settings.trainSteps, (double) min * settings.trainSteps, steps);
        for (int i = 0; i < steps; i++) t[i] /= settings.trainSteps;
        return t;
    }

    private static double shifted(Settings settings, double mu, double s) {
        if (!settings.dynamic) return settings.shift * s / (1 + (settings.shift - 1) * s);
        double e = settings.linearTimeShift ? mu : Math.exp(mu);
        return e / (e + (1 / s - 1));
    }

    private static float shiftedFloat(Settings settings, double mu, float s) {
        if (!settings.dynamic) return shiftedFloat(s, settings.shift);
        float e = (float) (settings.linearTimeShift ? mu : Math.exp(mu));
        return e / (e + (1f / s - 1f));
    }

    private static float shiftedFloat(float sigma, double shift) {
        return (float) shift * sigma / (1f + (float) (shift - 1) * sigma);
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

    /** A UserError unless a flow model's scheduler config is a flow-matching one. */
    public static void checkConfig(String model, SchedulerConfig config) {
        if (!config.className().equals(CLASS)) {
            throw new UserError(model + " predicts a flow velocity: scheduler config " + config.file() + " is a "
                    + config.className() + ", a noise sampler; it needs a " + CLASS);
        }
    }

    /** SD3's schedule: the training range under a static shift, shifted again. */
    public static FlowMatchEulerScheduler sd3(int steps, double shift) {
        return new FlowMatchEulerScheduler(Settings.staticShift(shift), steps, Pipeline.NONE);
    }

    /** Flux's schedule for an image of {@code tokens} packed tokens; {@code dynamicShift} false (schnell) leaves it unshifted. */
    public static FlowMatchEulerScheduler flux(int steps, int tokens, boolean dynamicShift) {
        Settings settings = dynamicShift ? Settings.fluxDev() : Settings.staticShift(1.0);
        return new FlowMatchEulerScheduler(settings, steps, new Pipeline(tokens, true));
    }

    /** Flux.1-dev's mu for {@code tokens} packed tokens. */
    public static double mu(int tokens) {
        return Settings.fluxDev().mu(tokens);
    }

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public int steps() {
        return timesteps.length;
    }

    public double sigma(int i) {
        return sigmas[i];
    }

    /** T sigma (1000 sigma) in float32: a real number, not a training step index. */
    @Override
    public double timestep(int i) {
        return timesteps[i];
    }

    /** x += (sigma_{i+1} - sigma_i) v, v the predicted velocity. */
    @Override
    public void step(double[] x, double[] velocity, int i) {
        double dt = sigmas[i + 1] - sigmas[i];
        for (int k = 0; k < x.length; k++) x[k] += dt * velocity[k];
    }
}
