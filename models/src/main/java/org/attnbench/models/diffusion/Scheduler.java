package org.attnbench.models.diffusion;

import java.util.Locale;
import org.attnbench.core.UserError;

/**
 * A sampler over a fixed number of inference steps. Step i feeds {@code x * inputScale(i)} and
 * {@code timestep(i)} to the model and turns its noise prediction into the next x with
 * {@link #step}. Latents start as N(0, 1) noise times {@link #initNoiseSigma()}.
 */
public interface Scheduler {
    /** The names accepted by {@link #of}. */
    String NAMES = "ddim, euler, " + DpmSolverScheduler.NAME;

    /** A scheduler by its command-line name, for {@code steps} inference steps of Stable Diffusion's schedule. */
    static Scheduler of(String name, int steps) {
        return of(name, steps, new NoiseSchedule());
    }

    /** A scheduler by its command-line name, for {@code steps} inference steps of a model's training schedule. */
    static Scheduler of(String name, int steps, NoiseSchedule schedule) {
        if (steps < 1 || steps > NoiseSchedule.TRAIN_STEPS) {
            throw new UserError("steps must be 1.." + NoiseSchedule.TRAIN_STEPS + ", got " + steps);
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ddim" -> new DdimScheduler(schedule, steps);
            case "euler" -> new EulerScheduler(schedule, steps);
            case DpmSolverScheduler.NAME -> new DpmSolverScheduler(schedule, steps);
            default -> throw new UserError("unknown scheduler '" + name + "': use one of " + NAMES);
        };
    }

    String name();

    int steps();

    /** The timestep (0..1000 scale) the model is told at step i, highest first: a training step, or 1000 sigma for a flow. */
    double timestep(int i);

    /** The standard deviation of the initial noise: 1 unless the sampler works in sigma space (Euler). */
    default double initNoiseSigma() {
        return 1;
    }

    /** The factor the latents are multiplied by before the model sees them at step i: 1 unless the sampler works in sigma space. */
    default double inputScale(int i) {
        return 1;
    }

    /** Replaces x (the latents at step i) with the latents after step i, given the predicted noise. */
    void step(double[] x, double[] eps, int i);
}
