package org.attnbench.metrics.fidelity;

/**
 * HPF, the ToDo paper's measure of high-frequency detail: the mean absolute magnitude after
 * high-pass filtering. The filter here is {@code x - G(x)} with G a Gaussian blur of sigma 1
 * pixel (7 taps, radius 3, separable, normalized), mirrored at the borders without repeating
 * the edge pixel (scipy's "mirror", OpenCV's BORDER_REFLECT_101); a side shorter than 2 is left
 * as it is along that axis. The value is the mean of |x - G(x)| over every channel and pixel, so
 * it works on images (report them in 0..255 to compare with the paper's 4.8) and on latents.
 * Equal inputs give equal values, and blurring an image lowers it.
 */
public final class HighFrequency {
    static final double SIGMA = 1.0;
    static final int RADIUS = 3;
    private static final double[] KERNEL = kernel();

    private HighFrequency() {}

    /** HPF of a [C][H][W] array. */
    public static double hpf(double[][][] x) {
        double sum = 0;
        long count = 0;
        for (double[][] channel : x) {
            double[][] blurred = blur(channel);
            for (int i = 0; i < channel.length; i++) {
                for (int j = 0; j < channel[i].length; j++) sum += Math.abs(channel[i][j] - blurred[i][j]);
                count += channel[i].length;
            }
        }
        return sum / count;
    }

    /** The separable Gaussian blur G. */
    public static double[][] blur(double[][] plane) {
        int h = plane.length;
        int w = plane[0].length;
        double[][] rows = new double[h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double s = 0;
                for (int k = -RADIUS; k <= RADIUS; k++) s += KERNEL[k + RADIUS] * plane[i][mirror(j + k, w)];
                rows[i][j] = s;
            }
        }
        double[][] out = new double[h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double s = 0;
                for (int k = -RADIUS; k <= RADIUS; k++) s += KERNEL[k + RADIUS] * rows[mirror(i + k, h)][j];
                out[i][j] = s;
            }
        }
        return out;
    }

    /** Reflect-101 index: -1 -> 1, n -> n-2; repeated for taps that cross both borders. */
    static int mirror(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    static double[] kernel() {
        double[] k = new double[2 * RADIUS + 1];
        double sum = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            k[i + RADIUS] = Math.exp(-i * i / (2 * SIGMA * SIGMA));
            sum += k[i + RADIUS];
        }
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        return k;
    }
}
