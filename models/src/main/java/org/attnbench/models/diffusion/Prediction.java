package org.attnbench.models.diffusion;

/**
 * What a model's output is (diffusers' prediction_type): the noise (epsilon), the velocity
 * v = sqrt(alpha_bar) eps - sqrt(1 - alpha_bar) x0 (SD 2.x at 768 px), or the clean sample itself.
 * Each scheduler turns it into what it steps with inside its step, as diffusers' do.
 */
public enum Prediction {
    EPSILON("epsilon"), V_PREDICTION("v_prediction"), SAMPLE("sample");

    public final String configName;

    Prediction(String configName) {
        this.configName = configName;
    }

    /** By config name; Euler's "original_sample" is the sample. */
    static Prediction of(String configName) {
        if (configName.equals("original_sample")) return SAMPLE;
        for (Prediction p : values()) if (p.configName.equals(configName)) return p;
        throw new IllegalArgumentException(configName);
    }

    /** The clean-sample estimate at alpha_bar {@code a} from sample x and model output m (DDPM parameterisation). */
    double x0(double x, double m, double a) {
        return switch (this) {
            case EPSILON -> (x - Math.sqrt(1 - a) * m) / Math.sqrt(a);
            case V_PREDICTION -> Math.sqrt(a) * x - Math.sqrt(1 - a) * m;
            case SAMPLE -> m;
        };
    }

    /** The noise estimate at alpha_bar {@code a} from sample x and model output m. */
    double eps(double x, double m, double a) {
        return switch (this) {
            case EPSILON -> m;
            case V_PREDICTION -> Math.sqrt(a) * m + Math.sqrt(1 - a) * x;
            case SAMPLE -> (x - Math.sqrt(a) * m) / Math.sqrt(1 - a);
        };
    }
}
