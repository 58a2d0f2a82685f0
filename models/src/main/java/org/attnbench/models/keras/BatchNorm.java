package org.attnbench.models.keras;

import org.attnbench.core.UserError;

/**
 * A Keras BatchNormalization at inference as a per-channel affine map {@code y = x * scale + shift}:
 * {@code scale = gamma / sqrt(var + eps)}, {@code shift = beta - mean * scale}, in double.
 */
record BatchNorm(double[] scale, double[] shift) {
    static BatchNorm of(TfjsLayersModel model, KerasLayer bn) {
        int axis = (int) bn.number("axis", -1);
        if (axis != -1 && axis != 3 && axis != 1) {
            throw new UserError("layer '" + bn.name() + "' normalizes axis " + axis + "; only the channel axis is supported");
        }
        double eps = bn.number("epsilon", 1e-3);
        float[] mean = model.weight(bn.name(), "moving_mean").toFloats();
        float[] var = model.weight(bn.name(), "moving_variance").toFloats();
        float[] gamma = bn.flag("scale", true) ? model.weight(bn.name(), "gamma").toFloats() : null;
        float[] beta = bn.flag("center", true) ? model.weight(bn.name(), "beta").toFloats() : null;
        int c = mean.length;
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int i = 0; i < c; i++) {
            scale[i] = (gamma == null ? 1 : gamma[i]) / Math.sqrt((double) var[i] + eps);
            shift[i] = (beta == null ? 0 : beta[i]) - mean[i] * scale[i];
        }
        return new BatchNorm(scale, shift);
    }
}
