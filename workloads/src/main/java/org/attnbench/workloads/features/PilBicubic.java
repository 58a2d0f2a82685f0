package org.attnbench.workloads.features;

/**
 * PIL's {@code Image.resize(size, Image.BICUBIC)} of a 32-bit float ("F" mode) image, computed as
 * Pillow's {@code Resample.c} computes it, so the result is the same float32 values: clean-fid's
 * "clean" resize, which every channel of every image goes through.
 *
 * <ul>
 *   <li>The filter is the bicubic convolution kernel with a = -0.5, support 2:
 *       {@code ((a + 2)|x| - (a + 3))x^2 + 1} for |x| &lt; 1, {@code a(((|x| - 5)|x| + 8)|x| - 4)}
 *       for |x| &lt; 2, else 0.
 *   <li>Per axis, scale = in / out; when shrinking the filter is stretched by the scale
 *       (antialiasing) and its support grows to 2 * scale; enlarging keeps it as it is.
 *   <li>Output pixel i has its centre at {@code (i + 0.5) * scale}; its taps are the source pixels
 *       from {@code (int)(centre - support + 0.5)} (at least 0) to {@code (int)(centre + support + 0.5)}
 *       (at most the size), weighing {@code filter((j - centre + 0.5) / filterscale)}, divided by
 *       their sum: edges renormalize over the pixels inside instead of padding.
 *   <li>Float images: coefficients and sums are doubles; each pass stores float32. 8-bit images
 *       (what CLIP's image processor resizes): each coefficient becomes a fixed-point integer with
 *       22 fraction bits (rounded half away from zero), sums start at half a unit, and each pass
 *       stores {@code floor(sum / 2^22)} clamped to 0-255.
 *   <li>The horizontal pass runs first (over the rows the vertical pass needs), then the vertical
 *       one; an axis whose size does not change is not resampled at all.
 * </ul>
 */
final class PilBicubic {
    /** Fraction bits of the 8-bit path's fixed-point coefficients: 32 - 8 - 2, room for the filter's overshoot. */
    static final int PRECISION_BITS = 22;

    private PilBicubic() {}

    /** Per output pixel along one axis: its first source pixel and the normalized weights from there on. */
    record Coefficients(int[] first, double[][] weights) {
        static Coefficients of(int in, int out) {
            double scale = (double) in / out;
            double filterscale = Math.max(scale, 1.0);
            double support = 2.0 * filterscale;
            double inverse = 1.0 / filterscale;
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int min = Math.max(0, (int) (centre - support + 0.5));
                int max = Math.min(in, (int) (centre + support + 0.5)) - min;
                double[] k = new double[Math.max(max, 0)];
                double sum = 0;
                for (int x = 0; x < k.length; x++) {
                    k[x] = filter((x + min - centre + 0.5) * inverse);
                    sum += k[x];
                }
                if (sum != 0.0) for (int x = 0; x < k.length; x++) k[x] /= sum;
                first[i] = min;
                weights[i] = k;
            }
            return new Coefficients(first, weights);
        }
    }

    static double filter(double x) {
        double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    /** A row-major plane [h][w] resized to [outH][outW]. */
    static float[] resize(float[] src, int w, int h, int outW, int outH) {
        if (src.length != w * h) throw new IllegalArgumentException("plane has " + src.length + " values, not " + w + " x " + h);
        Coefficients vertical = Coefficients.of(h, outH);
        float[] plane = src;
        int rows = h;
        int rowOffset = 0;
        if (outW != w) {
            // Only the rows the vertical pass reads: from its first tap to its last.
            int firstRow = vertical.first()[0];
            int lastRow = vertical.first()[outH - 1] + vertical.weights()[outH - 1].length;
            Coefficients across = Coefficients.of(w, outW);
            rows = lastRow - firstRow;
            float[] out = new float[rows * outW];
            for (int y = 0; y < rows; y++) {
                int row = (y + firstRow) * w;
                for (int x = 0; x < outW; x++) {
                    double[] k = across.weights()[x];
                    int start = row + across.first()[x];
                    double sum = 0.0;
                    for (int t = 0; t < k.length; t++) sum += src[start + t] * k[t];
                    out[y * outW + x] = (float) sum;
                }
            }
            plane = out;
            rowOffset = firstRow;
        }
        int width = outW;
        if (outH == h) return plane == src ? src.clone() : plane;
        float[] out = new float[outH * width];
        for (int y = 0; y < outH; y++) {
            double[] k = vertical.weights()[y];
            int start = vertical.first()[y] - rowOffset;
            for (int x = 0; x < width; x++) {
                double sum = 0.0;
                for (int t = 0; t < k.length; t++) sum += plane[(start + t) * width + x] * k[t];
                out[y * width + x] = (float) sum;
            }
        }
        return out;
    }

    /** An 8-bit plane [h][w] (levels 0-255) resized to [outH][outW], as PIL resizes an "L" or "RGB" image. */
    static int[] resize8(int[] src, int w, int h, int outW, int outH) {
        if (src.length != w * h) throw new IllegalArgumentException("plane has " + src.length + " values, not " + w + " x " + h);
        Coefficients vertical = Coefficients.of(h, outH);
        int[] plane = src;
        int rowOffset = 0;
        if (outW != w) {
            int firstRow = vertical.first()[0];
            int lastRow = vertical.first()[outH - 1] + vertical.weights()[outH - 1].length;
            Coefficients across = Coefficients.of(w, outW);
            int[][] k = fixedPoint(across.weights());
            int rows = lastRow - firstRow;
            int[] out = new int[rows * outW];
            for (int y = 0; y < rows; y++) {
                int row = (y + firstRow) * w;
                for (int x = 0; x < outW; x++) {
                    int start = row + across.first()[x];
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int t = 0; t < k[x].length; t++) sum += src[start + t] * k[x][t];
                    out[y * outW + x] = clip8(sum);
                }
            }
            plane = out;
            rowOffset = firstRow;
        }
        if (outH == h) return plane == src ? src.clone() : plane;
        int[][] k = fixedPoint(vertical.weights());
        int[] out = new int[outH * outW];
        for (int y = 0; y < outH; y++) {
            int start = vertical.first()[y] - rowOffset;
            for (int x = 0; x < outW; x++) {
                int sum = 1 << (PRECISION_BITS - 1);
                for (int t = 0; t < k[y].length; t++) sum += plane[(start + t) * outW + x] * k[y][t];
                out[y * outW + x] = clip8(sum);
            }
        }
        return out;
    }

    private static int[][] fixedPoint(double[][] weights) {
        double unit = 1 << PRECISION_BITS;
        int[][] out = new int[weights.length][];
        for (int i = 0; i < weights.length; i++) {
            out[i] = new int[weights[i].length];
            for (int t = 0; t < weights[i].length; t++) {
                double k = weights[i][t];
                out[i][t] = (int) (k < 0 ? -0.5 + k * unit : 0.5 + k * unit);
            }
        }
        return out;
    }

    private static int clip8(int sum) {
        return Math.max(0, Math.min(255, sum >> PRECISION_BITS));
    }
}
