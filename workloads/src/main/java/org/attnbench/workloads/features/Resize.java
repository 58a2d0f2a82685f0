package org.attnbench.workloads.features;

/**
 * Antialiased bilinear resizing of float image planes: a separable triangle filter whose radius
 * is one source pixel when enlarging and one destination pixel (in source units) when shrinking,
 * the filter PIL's {@code Image.resize(size, BILINEAR)} uses (here without PIL's 8-bit rounding
 * between the passes).
 *
 * <p>Output pixel i along an axis has its centre at {@code c = (i + 0.5) * in / out} in source
 * coordinates; source pixel j (centre {@code j + 0.5}) weighs {@code max(0, 1 - |j + 0.5 - c| / r)}
 * with {@code r = max(in / out, 1)}, and the weights inside the image are normalized to sum to 1
 * (so edges need no padding). Shrinking averages every source pixel under the filter, so a
 * 2560-pixel photo brought to 299 does not alias; enlarging is plain bilinear interpolation with
 * half-pixel centres.
 */
final class Resize {
    private Resize() {}

    /** Per destination pixel: the first source pixel and the weights from there on. */
    record Taps(int[] first, float[][] weights) {
        static Taps of(int in, int out) {
            double scale = (double) in / out;
            double radius = Math.max(scale, 1);
            int[] first = new int[out];
            float[][] weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - radius));
                int hi = Math.min(in, (int) Math.ceil(centre + radius));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    w[j - lo] = Math.max(0, 1 - Math.abs(j + 0.5 - centre) / radius);
                    sum += w[j - lo];
                }
                first[i] = lo;
                weights[i] = new float[w.length];
                for (int k = 0; k < w.length; k++) weights[i][k] = (float) (w[k] / sum);
            }
            return new Taps(first, weights);
        }
    }

    /** Planes [c][h * w] (row-major) to [c][outH * outW]. */
    static float[][] planes(float[][] src, int h, int w, int outH, int outW) {
        Taps across = Taps.of(w, outW);
        Taps down = Taps.of(h, outH);
        float[][] out = new float[src.length][];
        for (int c = 0; c < src.length; c++) {
            float[] rows = new float[h * outW];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < outW; x++) rows[y * outW + x] = dot(src[c], y * w + across.first[x], 1, across.weights[x]);
            }
            float[] dst = new float[outH * outW];
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) dst[y * outW + x] = dot(rows, down.first[y] * outW + x, outW, down.weights[y]);
            }
            out[c] = dst;
        }
        return out;
    }

    private static float dot(float[] v, int start, int stride, float[] weights) {
        float sum = 0;
        for (int k = 0; k < weights.length; k++) sum += v[start + k * stride] * weights[k];
        return sum;
    }
}
