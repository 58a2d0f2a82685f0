package org.attnbench.models.diffusion;

/**
 * diffusers' timestep_spacing: which training steps N inference steps visit, highest first, with
 * numpy's arithmetic (linspace and arange in float64, rounding half to even) so the steps are
 * diffusers' to the last one. For T training steps:
 * <ul>
 *   <li>leading: every (T / N)-th step from 0 (integer division), plus steps_offset;</li>
 *   <li>trailing: from T down by T / N (a real stride), rounded, minus 1: always starts at T - 1;</li>
 *   <li>linspace: N points from 0 to T - 1, rounded (DDIM, PNDM) or not (Euler).</li>
 * </ul>
 */
public enum Spacing {
    LEADING("leading"), TRAILING("trailing"), LINSPACE("linspace");

    public final String configName;

    Spacing(String configName) {
        this.configName = configName;
    }

    /** The timesteps, highest first; {@code roundLinspace} false keeps linspace's fractions (Euler's float32 timesteps). */
    double[] timesteps(int steps, int trainSteps, int offset, boolean roundLinspace) {
        double[] t = new double[steps];
        switch (this) {
            case LEADING -> {
                int stride = trainSteps / steps;
                for (int i = 0; i < steps; i++) t[i] = (steps - 1 - i) * stride + offset;
            }
            case TRAILING -> {
                double[] points = arange(trainSteps, 0, -(double) trainSteps / steps);
                t = new double[points.length];
                for (int i = 0; i < t.length; i++) t[i] = Math.rint(points[i]) - 1;
            }
            case LINSPACE -> {
                double[] points = linspace(0, trainSteps - 1, steps);
                for (int i = 0; i < steps; i++) {
                    double p = points[steps - 1 - i];
                    t[i] = roundLinspace ? Math.rint(p) : (float) p;
                }
            }
        }
        return t;
    }

    /** The same as integers (DDIM, PNDM). */
    int[] discrete(int steps, int trainSteps, int offset) {
        double[] t = timesteps(steps, trainSteps, offset, true);
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) out[i] = (int) t[i];
        return out;
    }

    static Spacing of(String configName) {
        for (Spacing s : values()) if (s.configName.equals(configName)) return s;
        throw new IllegalArgumentException(configName);
    }

    /** numpy.linspace(start, stop, n) with the endpoint: i * ((stop - start) / (n - 1)) + start, the last point exactly stop. */
    static double[] linspace(double start, double stop, int n) {
        double[] y = new double[n];
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) y[i] = n == 1 ? start : i * step + start;
        if (n > 1) y[n - 1] = stop;
        return y;
    }

    /**
     * numpy.arange(start, stop, step) for floats: ceil((stop - start) / step) points; the first two
     * are start and start + step, the rest start + i (second - start), as numpy fills them.
     */
    static double[] arange(double start, double stop, double step) {
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] y = new double[n];
        double delta = (start + step) - start;
        for (int i = 0; i < n; i++) y[i] = i == 0 ? start : i == 1 ? start + step : start + i * delta;
        return y;
    }
}
