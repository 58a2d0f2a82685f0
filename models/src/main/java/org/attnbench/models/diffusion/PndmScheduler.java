package org.attnbench.models.diffusion;

import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;

/**
 * PLMS (pseudo linear multistep), diffusers' PNDMScheduler with skip_prk_steps true: SD 1.x's and
 * SD 2 base's default scheduler. N inference steps run N + 1 model evaluations: the second
 * timestep is visited twice. With ratio = T / N (integer division) and e_k the model's outputs:
 * <ul>
 *   <li>step 0 goes from t_0 to t_0 - ratio with e_0 and remembers the sample;</li>
 *   <li>step 1 (at t_1, on the sample step 0 made) redoes step 0 from the remembered sample, from
 *       t_1 + ratio to t_1, with (e_0 + e_1) / 2 (a second-order start);</li>
 *   <li>steps 2, 3 and on go from t to t - ratio with the Adams-Bashforth combinations of the last
 *       2, 3 and 4 outputs: (3, -1) / 2, (23, -16, 5) / 12, (55, -59, 37, -9) / 24.</li>
 * </ul>
 * The update from t to s (PNDM's formula 9, with a = alpha_bar; below 0, s is the final alpha_bar:
 * 1 with set_alpha_to_one, else alpha_bar_0):
 * <pre>
 *   x' = sqrt(a_s / a_t) x - (a_s - a_t) e / (a_t sqrt(1 - a_s) + sqrt(a_t (1 - a_t) a_s))
 * </pre>
 * A v-prediction's combination is turned into noise first, e = sqrt(a_t) v + sqrt(1 - a_t) x.
 */
public final class PndmScheduler implements Scheduler {
    public static final String CLASS = "PNDMScheduler";
    public static final String NAME = "pndm";

    /** What a PNDMScheduler config sets. */
    public record Settings(NoiseSchedule schedule, Spacing spacing, int stepsOffset, Prediction prediction,
            boolean setAlphaToOne) {
        /** SD 1.5's config: the named scheduler's fixed settings on a model's schedule. */
        public static Settings sd(NoiseSchedule schedule) {
            return new Settings(schedule, Spacing.LEADING, 1, Prediction.EPSILON, false);
        }

        /** Strictly from a PNDMScheduler config (diffusers' defaults for absent keys). */
        static Settings of(SchedulerConfig c) {
            // skip_prk_steps false runs Runge-Kutta warm-up steps first (PNDM proper): not implemented
            c.only("skip_prk_steps", new JsonPrimitive(true));
            if (!c.has("skip_prk_steps")) throw c.unsupported("skip_prk_steps", new JsonPrimitive(false), "true");
            return new Settings(c.noiseSchedule(false), c.spacing("leading"), c.stepsOffset(),
                    c.prediction(Prediction.EPSILON, Prediction.V_PREDICTION), c.bool("set_alpha_to_one", false));
        }
    }

    private final Settings settings;
    private final int[] timesteps;
    private final int ratio;
    /** The model outputs of the last steps, oldest first (at most 4). */
    private final List<double[]> outputs = new ArrayList<>();
    /** The sample step 0 started from, which step 1 starts from again. */
    private double[] firstSample;

    public PndmScheduler(Settings settings, int steps) {
        int train = settings.schedule.trainSteps();
        Scheduler.checkSteps(steps, train);
        this.settings = settings;
        this.ratio = train / steps;
        int[] t = settings.spacing.discrete(steps, train, settings.stepsOffset);
        // PLMS: the second timestep twice
        this.timesteps = new int[t.length == 1 ? 1 : t.length + 1];
        for (int i = 0; i < timesteps.length; i++) timesteps[i] = t[i <= 1 ? i : i - 1];
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
    public void begin(long seed) {
        outputs.clear();
        firstSample = null;
    }

    @Override
    public void step(double[] x, double[] output, int i) {
        if (i == 0) begin(0);
        int t = timesteps[i];
        int prev = t - ratio;
        if (i == 1) {
            prev = t;
            t = t + ratio;
        } else {
            if (outputs.size() == 4) outputs.remove(0);
            outputs.add(output.clone());
        }
        int n = outputs.size();
        double[] e = new double[x.length];
        double[] from = x;
        for (int k = 0; k < x.length; k++) {
            if (i == 0) {
                e[k] = output[k];
            } else if (i == 1) {
                e[k] = (output[k] + outputs.get(0)[k]) / 2;
            } else if (n == 2) {
                e[k] = (3 * last(1)[k] - last(2)[k]) / 2;
            } else if (n == 3) {
                e[k] = (23 * last(1)[k] - 16 * last(2)[k] + 5 * last(3)[k]) / 12;
            } else {
                e[k] = (55 * last(1)[k] - 59 * last(2)[k] + 37 * last(3)[k] - 9 * last(4)[k]) / 24;
            }
        }
        if (i == 0) firstSample = x.clone();
        if (i == 1) from = firstSample;
        update(from, e, t, prev, x);
    }

    /** The k-th latest model output (1: the latest). */
    private double[] last(int k) {
        return outputs.get(outputs.size() - k);
    }

    /** PNDM's formula 9 from t to s on {@code from}, written into {@code into}. */
    private void update(double[] from, double[] e, int t, int s, double[] into) {
        double a = settings.schedule.alphaCumprod(t);
        double as = s >= 0 ? settings.schedule.alphaCumprod(s)
                : settings.setAlphaToOne ? 1 : settings.schedule.alphaCumprod(0);
        double sampleCoeff = Math.sqrt(as / a);
        double denominator = a * Math.sqrt(1 - as) + Math.sqrt(a * (1 - a) * as);
        for (int k = 0; k < into.length; k++) {
            double eps = settings.prediction == Prediction.V_PREDICTION ? Math.sqrt(a) * e[k] + Math.sqrt(1 - a) * from[k] : e[k];
            into[k] = sampleCoeff * from[k] - (as - a) * eps / denominator;
        }
    }
}
