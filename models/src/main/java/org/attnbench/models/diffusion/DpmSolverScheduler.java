package org.attnbench.models.diffusion;

import com.google.gson.JsonPrimitive;
import java.util.List;

/**
 * DPM-Solver++ multistep (order 1 or 2), diffusers' DPMSolverMultistepScheduler with algorithm
 * dpmsolver++. In terms of sigma = sqrt((1 - a) / a), alpha_t = 1 / sqrt(1 + sigma^2),
 * sigma_t = sigma alpha_t and lambda = log(alpha_t / sigma_t), with h = lambda_next - lambda_now
 * and x0 the model's clean-sample estimate ((x - sigma_t eps) / alpha_t for a noise prediction):
 * <pre>
 *   first order:  x' = (sigma_t' / sigma_t) x - alpha_t' (e^-h - 1) x0
 *   second order: D1 = (x0 - x0_prev) h / h_prev;
 *     midpoint:   x' = (sigma_t' / sigma_t) x - alpha_t' (e^-h - 1) (x0 + D1 / 2)
 *     heun:       x' = (sigma_t' / sigma_t) x - alpha_t' (e^-h - 1) x0 + alpha_t' ((e^-h - 1) / h + 1) D1
 * </pre>
 * The first step is first order, and so is the last when the final sigma is 0, with euler_at_final,
 * or with lower_order_final under 15 steps. Its timestep spacings take N + 1 points and drop the
 * last (so "leading" differs from DDIM's), up to where lambda falls below lambda_min_clipped. The
 * named scheduler {@code dpm++2m} is PixArt's config: order 2, midpoint, "linspace", final sigma 0.
 */
public final class DpmSolverScheduler implements Scheduler {
    public static final String NAME = "dpm++2m";
    public static final String CLASS = "DPMSolverMultistepScheduler";

    /** What a DPMSolverMultistepScheduler config sets. */
    public record Settings(NoiseSchedule schedule, Spacing spacing, int stepsOffset, Prediction prediction, int order,
            boolean heun, boolean lowerOrderFinal, boolean eulerAtFinal, boolean finalSigmaMin, double lambdaMinClipped) {
        /** PixArt's: the named scheduler's fixed settings on a model's schedule. */
        public static Settings pixart(NoiseSchedule schedule) {
            return new Settings(schedule, Spacing.LINSPACE, 0, Prediction.EPSILON, 2, false, true, false, false,
                    Double.NEGATIVE_INFINITY);
        }

        /** Strictly from a DPMSolverMultistepScheduler config (diffusers' defaults for absent keys). */
        static Settings of(SchedulerConfig c) {
            c.choice("algorithm_type", "dpmsolver++", List.of("dpmsolver++"),
                    List.of("dpmsolver", "sde-dpmsolver", "sde-dpmsolver++", "deis"));
            c.only("thresholding", new JsonPrimitive(false));
            c.noSigmaConversions("use_karras_sigmas", "use_exponential_sigmas", "use_beta_sigmas", "use_lu_lambdas",
                    "use_flow_sigmas", "use_dynamic_shifting");
            c.onlyNull("variance_type");
            int order = c.integer("solver_order", 2, 1);
            if (order > 2) throw c.unsupported("solver_order", new JsonPrimitive(order), "1, 2");
            boolean heun = c.choice("solver_type", "midpoint", List.of("midpoint", "heun"), List.of("logrho", "bh1", "bh2"))
                    .equals("heun");
            boolean sigmaMin = c.choice("final_sigmas_type", "zero", List.of("zero", "sigma_min"), List.of())
                    .equals("sigma_min");
            return new Settings(c.noiseSchedule(true), c.spacing("linspace"), c.stepsOffset(),
                    c.prediction(Prediction.EPSILON, Prediction.V_PREDICTION, Prediction.SAMPLE), order, heun,
                    c.bool("lower_order_final", true), c.bool("euler_at_final", false), sigmaMin,
                    c.number("lambda_min_clipped", Double.NEGATIVE_INFINITY));
        }
    }

    private final Settings settings;
    private final int[] timesteps;
    /** sigma at each step, then the final sigma. */
    private final double[] sigmas;
    /** The previous step's x0 estimate, for the second-order update; null before the first step. */
    private double[] previousX0;

    /** PixArt's DPM-Solver++ 2M on a model's training schedule. */
    public DpmSolverScheduler(NoiseSchedule schedule, int steps) {
        this(Settings.pixart(schedule), steps);
    }

    public DpmSolverScheduler(Settings settings, int steps) {
        NoiseSchedule schedule = settings.schedule;
        Scheduler.checkSteps(steps, schedule.trainSteps());
        this.settings = settings;
        this.timesteps = timesteps(settings, steps);
        this.sigmas = new double[timesteps.length + 1];
        for (int i = 0; i < timesteps.length; i++) sigmas[i] = schedule.sigma(timesteps[i]);
        sigmas[timesteps.length] = settings.finalSigmaMin ? schedule.sigma(0) : 0;
    }

    /** N + 1 points of the spacing up to the clipped end, highest first, the last dropped ("trailing": N points). */
    private static int[] timesteps(Settings s, int steps) {
        int train = s.schedule.trainSteps();
        int clipped = 0; // training steps whose lambda is below lambda_min_clipped (the noisiest)
        while (clipped < train && s.schedule.lambda(train - 1 - clipped) < s.lambdaMinClipped) clipped++;
        int last = train - clipped;
        double[] points = switch (s.spacing) {
            case LINSPACE -> Spacing.linspace(0, last - 1, steps + 1);
            case LEADING -> {
                double[] p = new double[steps + 1];
                for (int i = 0; i <= steps; i++) p[i] = (double) i * (last / (steps + 1));
                yield p;
            }
            case TRAILING -> Spacing.arange(last, 0, -(double) train / steps);
        };
        if (s.spacing == Spacing.TRAILING) {
            int[] t = new int[points.length];
            for (int i = 0; i < t.length; i++) t[i] = (int) Math.rint(points[i]) - 1;
            return t;
        }
        int offset = s.spacing == Spacing.LEADING ? s.stepsOffset : 0;
        int[] t = new int[steps];
        for (int i = 0; i < steps; i++) t[i] = (int) Math.rint(points[steps - i]) + offset;
        return t;
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
    public void begin(long seed) {
        previousX0 = null;
    }

    @Override
    public void step(double[] x, double[] output, int i) {
        if (i == 0) begin(0); // a new image
        int n = timesteps.length;
        double alphaNow = alpha(sigmas[i]), sigmaNow = sigmas[i] * alphaNow;
        double alphaNext = alpha(sigmas[i + 1]), sigmaNext = sigmas[i + 1] * alphaNext;
        double h = lambda(alphaNext, sigmaNext) - lambda(alphaNow, sigmaNow);
        double expm1 = Math.exp(-h) - 1;
        boolean lastFirstOrder = i == n - 1
                && (settings.eulerAtFinal || settings.lowerOrderFinal && n < 15 || !settings.finalSigmaMin);
        boolean secondOrder = settings.order == 2 && previousX0 != null && !lastFirstOrder;
        double ratio = 0; // D1 = (x0 - x0_prev) h / h_prev
        if (secondOrder) {
            double alphaPrev = alpha(sigmas[i - 1]);
            ratio = h / (lambda(alphaNow, sigmaNow) - lambda(alphaPrev, sigmas[i - 1] * alphaPrev));
        }
        double heunCoefficient = alphaNext * (expm1 / h + 1);
        double[] x0 = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            x0[k] = switch (settings.prediction) {
                case EPSILON -> (x[k] - sigmaNow * output[k]) / alphaNow;
                case V_PREDICTION -> alphaNow * x[k] - sigmaNow * output[k];
                case SAMPLE -> output[k];
            };
            double update = sigmaNext / sigmaNow * x[k] - alphaNext * expm1 * x0[k];
            if (secondOrder) {
                double d1 = ratio * (x0[k] - previousX0[k]);
                update += settings.heun ? heunCoefficient * d1 : -0.5 * alphaNext * expm1 * d1;
            }
            x[k] = update;
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
