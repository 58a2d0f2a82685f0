package org.attnbench.models.diffusion;

import java.util.Locale;
import org.attnbench.core.UserError;

/**
 * A sampler over a fixed number of model evaluations. Each image starts with {@link #begin}; step
 * i feeds {@code x * inputScale(i)} and {@code timestep(i)} to the model and turns its output
 * (noise, velocity or clean sample, as the scheduler's prediction type says: it converts inside
 * {@link #step}, as diffusers' schedulers do) into the next x. Latents start as N(0, 1) noise
 * times {@link #initNoiseSigma()}.
 *
 * <p>A scheduler is either named ({@link #of}: SD's fixed settings, as before checkpoints brought
 * their own) or read from a diffusers scheduler_config.json ({@link #fromConfig}).
 */
public interface Scheduler {
    /** The names accepted by {@link #of}. */
    String NAMES = "ddim, euler, euler-ancestral, pndm, " + DpmSolverScheduler.NAME;

    /** A scheduler by its command-line name, for {@code steps} inference steps of Stable Diffusion's schedule. */
    static Scheduler of(String name, int steps) {
        return of(name, steps, new NoiseSchedule());
    }

    /** A scheduler by its command-line name, for {@code steps} inference steps of a model's training schedule. */
    static Scheduler of(String name, int steps, NoiseSchedule schedule) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ddim" -> new DdimScheduler(schedule, steps);
            case "euler" -> new EulerScheduler(schedule, steps);
            case EulerAncestralScheduler.NAME -> new EulerAncestralScheduler(EulerAncestralScheduler.Settings.sd(schedule), steps);
            case PndmScheduler.NAME -> new PndmScheduler(PndmScheduler.Settings.sd(schedule), steps);
            case DpmSolverScheduler.NAME -> new DpmSolverScheduler(schedule, steps);
            default -> throw new UserError("unknown scheduler '" + name + "': use one of " + NAMES);
        };
    }

    /** The diffusers class a command-line name stands for when it overrides a checkpoint's config (euler on a flow: flow-matching Euler). */
    static String className(String name, SchedulerConfig checkpoint) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ddim" -> DdimScheduler.CLASS;
            case "euler" -> checkpoint.className().equals(FlowMatchEulerScheduler.CLASS) ? FlowMatchEulerScheduler.CLASS
                    : EulerScheduler.CLASS;
            case EulerAncestralScheduler.NAME -> EulerAncestralScheduler.CLASS;
            case PndmScheduler.NAME -> PndmScheduler.CLASS;
            case DpmSolverScheduler.NAME -> DpmSolverScheduler.CLASS;
            default -> throw new UserError("unknown scheduler '" + name + "': use one of " + NAMES);
        };
    }

    /**
     * The scheduler a diffusers config describes, for {@code steps} inference steps; {@code flow}
     * is what a flow pipeline adds (ignored by the others).
     */
    static Scheduler fromConfig(SchedulerConfig config, int steps, FlowMatchEulerScheduler.Pipeline flow) {
        return switch (config.className()) {
            case PndmScheduler.CLASS -> new PndmScheduler(PndmScheduler.Settings.of(config), steps);
            case DdimScheduler.CLASS -> new DdimScheduler(DdimScheduler.Settings.of(config), steps);
            case EulerScheduler.CLASS -> new EulerScheduler(EulerScheduler.Settings.of(config), steps);
            case EulerAncestralScheduler.CLASS -> new EulerAncestralScheduler(EulerAncestralScheduler.Settings.of(config), steps);
            case DpmSolverScheduler.CLASS -> new DpmSolverScheduler(DpmSolverScheduler.Settings.of(config), steps);
            case FlowMatchEulerScheduler.CLASS -> new FlowMatchEulerScheduler(FlowMatchEulerScheduler.Settings.of(config), steps, flow);
            default -> throw new IllegalStateException(config.className()); // SchedulerConfig.of admits only the above
        };
    }

    /** A UserError unless 1 <= steps <= the training steps (diffusers refuses more). */
    static void checkSteps(int steps, int trainSteps) {
        if (steps < 1 || steps > trainSteps) throw new UserError("steps must be 1.." + trainSteps + ", got " + steps);
    }

    String name();

    /** Model evaluations per image (PNDM's PLMS: one more than the inference steps asked for). */
    int steps();

    /** The timestep (0..1000 scale) the model is told at step i, highest first: a training step, or 1000 sigma for a flow. */
    double timestep(int i);

    /** Every step's timestep, in order. */
    default double[] timesteps() {
        double[] t = new double[steps()];
        for (int i = 0; i < t.length; i++) t[i] = timestep(i);
        return t;
    }

    /** The standard deviation of the initial noise: 1 unless the sampler works in sigma space (Euler). */
    default double initNoiseSigma() {
        return 1;
    }

    /** The factor the latents are multiplied by before the model sees them at step i: 1 unless the sampler works in sigma space. */
    default double inputScale(int i) {
        return 1;
    }

    /** Starts a new image: forgets a multistep sampler's history and seeds a stochastic sampler's noise with the image's seed. */
    default void begin(long seed) {}

    /** Replaces x (the latents at step i) with the latents after step i, given the model's output at step i. */
    void step(double[] x, double[] output, int i);
}
