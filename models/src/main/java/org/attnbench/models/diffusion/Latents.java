package org.attnbench.models.diffusion;

import java.util.Random;

/** The starting point of sampling: seeded N(0, 1) noise scaled by the scheduler's initial sigma. */
public final class Latents {
    private Latents() {}

    /** Values of a [1, channels, h, w] latent in row-major order, from java.util.Random(seed). */
    public static double[] initial(long seed, int channels, int h, int w, Scheduler scheduler) {
        Random r = new Random(seed);
        double[] x = new double[channels * h * w];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian() * scheduler.initNoiseSigma();
        return x;
    }
}
