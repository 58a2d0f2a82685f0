package org.attnbench.models.diffusion;

/**
 * DPM-Solver++ (2M), diffusers' DPMSolverMultistepScheduler as PixArt's pipelines configure it:
 * algorithm dpmsolver++, solver order 2 with the midpoint solver, epsilon prediction, "linspace"
 * timesteps, the final sigma 0 (so the last step is first order and lands on the predicted x0),
 * no thresholding.
 *
 * <p>In terms of sigma = sqrt((1 - a) / a), alpha_t = 1 / sqrt(1 + sigma^2), sigma_t = sigma alpha_t
 * and lambda = log(alpha_t / sigma_t), with h = lambda_next - lambda_now and x0 = (x - sigma_t eps) / alpha_t:
 * <pre>
 *   first order (the first and the last step):  x' = (sigma_t' / sigma_t) x - alpha_t' (e^-h - 1) x0
 *   second order: D1 = (x0 - x0_prev) h / h_prev;  x' = (sigma_t' / sigma_t) x - alpha_t' (e^-h - 1) (x0 + D1 / 2)
 * </pre>
 * The first order step is DDIM's. Stable Diffusion's pipelines space DPM-Solver's steps "leading";
 * this one spaces them as PixArt's scheduler config does, for every model.
 */
public final class DpmSolverScheduler implements Scheduler {
    public static final String NAME = "dpm++2m";
    private final int[] timesteps;
    /** sigma at each step, then 0. */
    private final double[] sigmas;
    /** The previous step's x0 prediction, for the second-order update; null before the first step. */
    private double[] previousX0;

    public DpmSolverScheduler(NoiseSchedule schedule, int steps) {
        this.timesteps = NoiseSchedule.linspaceTimesteps(steps);
        this.sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) sigmas[i] = schedule.sigma(timesteps[i]);
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

    @Override
    public void step(double[] x, double[] eps, int i) {
        if (i == 0) previousX0 = null; // a new image
        double alphaNow = alpha(sigmas[i]), sigmaNow = sigmas[i] * alphaNow;
        double alphaNext = alpha(sigmas[i + 1]), sigmaNext = sigmas[i + 1] * alphaNext;
        double h = lambda(alphaNext, sigmaNext) - lambda(alphaNow, sigmaNow);
        double expm1 = Math.exp(-h) - 1;
        boolean secondOrder = previousX0 != null && i < timesteps.length - 1;
        double ratio = 0; // D1 = (x0 - x0_prev) h / h_prev
        if (secondOrder) {
            double alphaPrev = alpha(sigmas[i - 1]);
            ratio = h / (lambda(alphaNow, sigmaNow) - lambda(alphaPrev, sigmas[i - 1] * alphaPrev));
        }
        double[] x0 = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            x0[k] = (x[k] - sigmaNow * eps[k]) / alphaNow;
            double d = secondOrder ? x0[k] + 0.5 * ratio * (x0[k] - previousX0[k]) : x0[k];
            x[k] = sigmaNext / sigmaNow * x[k] - alphaNext * expm1 * d;
        }
        previousX0 = x0;
    }

    private static double alpha(double sigma) {
        return 1 / Math.sqrt(1 + sigma * sigma);
    }

    /** log(alpha_t) - log(sigma_t): infinite at sigma 0, where e^-h is 0 and the step returns x0. */
    private static double lambda(double alpha, double sigma) {
        return Math.log(alpha) - Math.log(sigma);
    }
}
