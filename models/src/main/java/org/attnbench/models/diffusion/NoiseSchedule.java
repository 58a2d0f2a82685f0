package org.attnbench.models.diffusion;

/**
 * A model's training noise schedule: its betas and their cumulative alpha product, as diffusers'
 * schedulers build them in float32, so that every scheduler here steps on the very values
 * diffusers does (in float64 the lowest sigmas differ from diffusers' by up to 1e-4 relative:
 * 1 - alpha_bar near t = 0 keeps few float32 digits). Stable Diffusion's (the default) is "scaled
 * linear": linear in sqrt(beta) from 0.00085 to 0.012, then squared; PixArt's is linear from
 * 0.0001 to 0.02; "squaredcos_cap_v2" is the cosine schedule (Nichol and Dhariwal).
 */
public final class NoiseSchedule {
    public static final int TRAIN_STEPS = 1000;
    public static final double BETA_START = 0.00085;
    public static final double BETA_END = 0.012;

    /** diffusers' beta_schedule values. */
    public enum Betas {
        SCALED_LINEAR("scaled_linear"), LINEAR("linear"), SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

        public final String configName;

        Betas(String configName) {
            this.configName = configName;
        }
    }

    private final float[] betas;
    private final float[] alphasCumprod;

    /** Stable Diffusion's schedule. */
    public NoiseSchedule() {
        this(Betas.SCALED_LINEAR, BETA_START, BETA_END, TRAIN_STEPS);
    }

    public NoiseSchedule(Betas kind, double start, double end, int trainSteps) {
        betas = switch (kind) {
            case LINEAR -> linspace(start, end, trainSteps);
            case SCALED_LINEAR -> squared(linspace(Math.sqrt(start), Math.sqrt(end), trainSteps));
            case SQUAREDCOS_CAP_V2 -> cosine(trainSteps);
        };
        alphasCumprod = new float[trainSteps];
        double product = 1; // torch's cumprod accumulates float32 in double
        for (int t = 0; t < trainSteps; t++) {
            product *= 1f - betas[t];
            alphasCumprod[t] = (float) product;
        }
    }

    /** diffusers' "linear" beta schedule from {@code start} to {@code end}. */
    public static NoiseSchedule linear(double start, double end) {
        return new NoiseSchedule(Betas.LINEAR, start, end, TRAIN_STEPS);
    }

    public int trainSteps() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[t];
    }

    /** alpha_bar_t: the fraction of signal variance left at training step t. */
    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /** The noise-to-signal ratio sqrt((1 - alpha_bar_t) / alpha_bar_t) that Euler samplers step in (float32, as diffusers' table). */
    public double sigma(int t) {
        float a = alphasCumprod[t];
        return (float) Math.sqrt((1f - a) / a);
    }

    /** log(alpha_t) - log(sigma_t) with alpha_t = sqrt(alpha_bar), sigma_t = sqrt(1 - alpha_bar), in float32 as diffusers' DPM-Solver tables it. */
    double lambda(int t) {
        float a = alphasCumprod[t];
        float alpha = (float) Math.sqrt(a);
        float sigma = (float) Math.sqrt(1f - a);
        return (float) Math.log(alpha) - (float) Math.log(sigma);
    }

    /**
     * torch.linspace in float32 as its CPU kernel computes it: the step in float32, the first half
     * counted up from start and the second down from end, each point one fused multiply-add.
     */
    private static float[] linspace(double start, double end, int n) {
        float s = (float) start;
        float e = (float) end;
        float step = n == 1 ? 0 : (e - s) / (n - 1);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = i < n / 2 ? Math.fma(step, i, s) : Math.fma(-step, n - i - 1, e);
        return out;
    }

    private static float[] squared(float[] x) {
        for (int i = 0; i < x.length; i++) x[i] = x[i] * x[i];
        return x;
    }

    /** betas_for_alpha_bar: 1 - abar((t + 1) / T) / abar(t / T), capped at 0.999, abar(t) = cos((t + 0.008) / 1.008 pi / 2)^2. */
    private static float[] cosine(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.min(1 - cosineAlphaBar((i + 1) / (double) n) / cosineAlphaBar(i / (double) n), 0.999);
        }
        return out;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }
}
