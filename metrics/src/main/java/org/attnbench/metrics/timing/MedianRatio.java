package org.attnbench.metrics.timing;

import java.util.Arrays;
import java.util.Random;

/**
 * A speedup with its uncertainty: median(baseline) / median(current), with a percentile
 * bootstrap interval (both sample sets resampled with replacement, seeded, so a report is
 * reproducible).
 *
 * @param ratio the point estimate; above 1 means current is faster
 * @param low lower bound of the interval
 * @param high upper bound of the interval
 * @param level the interval's coverage, e.g. 0.95
 */
public record MedianRatio(double ratio, double low, double high, double level) {

    public static MedianRatio of(Samples baseline, Samples current, double level, int resamples, long seed) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level " + level + " outside (0, 1)");
        double[] a = baseline.values();
        double[] b = current.values();
        Random rnd = new Random(seed);
        double[] ratios = new double[resamples];
        for (int i = 0; i < resamples; i++) {
            ratios[i] = median(resample(a, rnd)) / median(resample(b, rnd));
        }
        Arrays.sort(ratios);
        Samples dist = new Samples(ratios);
        double tail = (1 - level) / 2 * 100;
        return new MedianRatio(baseline.median() / current.median(), dist.percentile(tail), dist.percentile(100 - tail), level);
    }

    private static double[] resample(double[] x, Random rnd) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[rnd.nextInt(x.length)];
        return out;
    }

    private static double median(double[] x) {
        return new Samples(x).median();
    }
}
