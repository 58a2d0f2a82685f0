package org.attnbench.methods.token;


/**
 * ToDo's downsampling operator D on one batch element: tokens [N, C] in row-major grid order
 * (token index = row * w + col) become [(h / f) * (w / f), C], still row-major.
 *
 * <p>Every method except max pooling is separable, so each is written as one matrix per axis,
 * {@code weights[dst][src]}, and the 2-D result is {@code sum Wy[oy][iy] * Wx[ox][ix] * t[iy, ix]}.
 * Max pooling takes the per-channel max over the cells that average pooling would average.
 *
 * <p>Output size is {@code h / f} by {@code w / f} with integer (floor) division, as in the ToDo
 * reference code; a grid that f does not divide loses its last rows / columns under pooling and
 * is resampled with scale {@code in / out} (not exactly f) under interpolation. When f divides
 * the side, {@code in / out == f}, so {@code nearest} picks the top-left token of each f x f
 * cell and {@code nearest-exact} the token at offset {@code floor(f / 2)} on each axis.
 *
 * <p>Index arithmetic replicates PyTorch's CPU kernels for float32 tensors (UpSampleKernel.cpp,
 * UpSample.h): the scale is the float32 value {@code (float) in / out} and source coordinates are
 * computed in float32, because that is what decides which token is picked when a product lands
 * next to an integer. The interpolation weights themselves are then used in double.
 *
 * <p>Pooling uses kernel = stride = f. The ToDo repository's pooling branch uses
 * {@code df = h // (h // f)} instead, which equals f whenever f divides h but can differ (h = 8,
 * f = 3 gives df = 4) and can disagree with the width's output size; kernel f is the defined,
 * crash-free reading of "downsample by f with floor".
 */
public final class ReferenceDownsample {

    /** PyTorch's bicubic constant (the same as TensorFlow's and OpenCV's). */
    private static final double CUBIC_A = -0.75;

    private ReferenceDownsample() {}

    /** Output grid side for input side {@code in} and factor {@code f}: floor division, at least 1. */
    public static int outSize(int in, int factor) {
        int out = in / factor;
        if (out < 1) {
            throw new IllegalArgumentException("ToDo factor " + factor + " is larger than the grid side "
                    + in + ": the downsampled grid would be empty");
        }
        return out;
    }

    /**
     * Applies D to one batch element.
     *
     * @param tokens [h * w][C], row-major grid order
     * @return [(h / f) * (w / f)][C], row-major grid order; a fresh copy even for f = 1
     */
    public static double[][] apply(double[][] tokens, int h, int w, int factor, DownsampleMethod method) {
        if (tokens.length != h * w) {
            throw new IllegalArgumentException("expected h*w = " + h * w + " tokens, got " + tokens.length);
        }
        int outH = outSize(h, factor);
        int outW = outSize(w, factor);
        double[][] wy = axisWeights(method, h, outH, factor);
        double[][] wx = axisWeights(method, w, outW, factor);
        return method == DownsampleMethod.MAX_POOL
                ? maxOverSupport(tokens, w, wy, wx)
                : weightedSum(tokens, w, wy, wx);
    }

    /** Applies D to each batch element of [B][N][C]. */
    public static double[][][] apply(double[][][] tokens, int h, int w, int factor, DownsampleMethod method) {
        double[][][] out = new double[tokens.length][][];
        for (int b = 0; b < tokens.length; b++) {
            out[b] = apply(tokens[b], h, w, factor, method);
        }
        return out;
    }

    /** The per-axis resampling matrix [out][in] of a method; max pooling uses the avg-pool cells. */
    static double[][] axisWeights(DownsampleMethod method, int in, int out, int factor) {
        return switch (method) {
            case NEAREST -> nearest(in, out, false);
            case NEAREST_EXACT -> nearest(in, out, true);
            case BILINEAR -> bilinear(in, out);
            case BICUBIC -> bicubic(in, out);
            case AREA -> area(in, out);
            case AVG_POOL, MAX_POOL -> pool(in, out, factor);
        };
    }

    private static double[][] nearest(int in, int out, boolean exact) {
        double[][] m = new double[out][in];
        float scale = (float) in / out;
        for (int dst = 0; dst < out; dst++) {
            int src;
            if (out == in) {
                src = dst; // PyTorch short-circuits the identity size.
            } else if (exact) {
                // (dst + 0.5) is a double in PyTorch; floorf then rounds the product to float first.
                src = (int) Math.floor((float) ((dst + 0.5) * scale));
            } else {
                src = (int) Math.floor(dst * scale); // int64 * float -> float product
            }
            m[dst][Math.min(src, in - 1)] = 1.0;
        }
        return m;
    }

    private static double[][] bilinear(int in, int out) {
        double[][] m = new double[out][in];
        float scale = (float) in / out;
        for (int dst = 0; dst < out; dst++) {
            float src = scale * (dst + 0.5f) - 0.5f;
            if (src < 0f) {
                src = 0f; // align_corners=False clamps negative source coordinates (linear modes only)
            }
            int i0 = (int) src; // src >= 0, so truncation is floor
            int i1 = i0 < in - 1 ? i0 + 1 : i0;
            double lambda1 = src - i0;
            m[dst][i0] += 1.0 - lambda1;
            m[dst][i1] += lambda1;
        }
        return m;
    }

    private static double[][] bicubic(int in, int out) {
        double[][] m = new double[out][in];
        float scale = (float) in / out;
        for (int dst = 0; dst < out; dst++) {
            float src = scale * (dst + 0.5f) - 0.5f; // no clamp for cubic
            int i0 = (int) Math.floor(src);
            double t = src - i0;
            double[] c = {
                    cubicFar(t + 1.0), cubicNear(t), cubicNear(1.0 - t), cubicFar(2.0 - t)
            };
            for (int k = 0; k < 4; k++) {
                int idx = Math.max(0, Math.min(in - 1, i0 - 1 + k)); // PyTorch clamps taps to the edge
                m[dst][idx] += c[k];
            }
        }
        return m;
    }

    /** Keys' cubic kernel for |x| <= 1. */
    private static double cubicNear(double x) {
        return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
    }

    /** Keys' cubic kernel for 1 < |x| < 2. */
    private static double cubicFar(double x) {
        return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
    }

    /** Adaptive average pooling cells: [floor(i*in/out), ceil((i+1)*in/out)). */
    private static double[][] area(int in, int out) {
        double[][] m = new double[out][in];
        for (int dst = 0; dst < out; dst++) {
            int start = (int) ((long) dst * in / out);
            int end = (int) (((long) (dst + 1) * in + out - 1) / out);
            for (int i = start; i < end; i++) {
                m[dst][i] = 1.0 / (end - start);
            }
        }
        return m;
    }

    /** Pooling cells [dst*f, dst*f + f): the last (in mod f) inputs fall outside every cell. */
    private static double[][] pool(int in, int out, int factor) {
        double[][] m = new double[out][in];
        for (int dst = 0; dst < out; dst++) {
            for (int i = dst * factor; i < dst * factor + factor; i++) {
                m[dst][i] = 1.0 / factor;
            }
        }
        return m;
    }

    private static double[][] weightedSum(double[][] tokens, int w, double[][] wy, double[][] wx) {
        int c = tokens[0].length;
        double[][] out = new double[wy.length * wx.length][c];
        for (int oy = 0; oy < wy.length; oy++) {
            for (int ox = 0; ox < wx.length; ox++) {
                double[] acc = out[oy * wx.length + ox];
                for (int iy = 0; iy < wy[oy].length; iy++) {
                    for (int ix = 0; ix < wx[ox].length; ix++) {
                        double weight = wy[oy][iy] * wx[ox][ix];
                        if (weight == 0.0) {
                            continue;
                        }
                        double[] t = tokens[iy * w + ix];
                        for (int k = 0; k < c; k++) {
                            acc[k] += weight * t[k];
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double[][] maxOverSupport(double[][] tokens, int w, double[][] wy, double[][] wx) {
        int c = tokens[0].length;
        double[][] out = new double[wy.length * wx.length][c];
        for (int oy = 0; oy < wy.length; oy++) {
            for (int ox = 0; ox < wx.length; ox++) {
                double[] acc = out[oy * wx.length + ox];
                java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
                for (int iy = 0; iy < wy[oy].length; iy++) {
                    for (int ix = 0; ix < wx[ox].length; ix++) {
                        if (wy[oy][iy] == 0.0 || wx[ox][ix] == 0.0) {
                            continue;
                        }
                        double[] t = tokens[iy * w + ix];
                        for (int k = 0; k < c; k++) {
                            acc[k] = Math.max(acc[k], t[k]);
                        }
                    }
                }
            }
        }
        return out;
    }
}
