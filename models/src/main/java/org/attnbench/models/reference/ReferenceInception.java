package org.attnbench.models.reference;

import org.attnbench.models.inception.FidInceptionLayout;
import org.attnbench.models.inception.FidInceptionLayout.Unit;
import org.attnbench.models.inception.FidInceptionWeights;

/**
 * The FID Inception-v3 in plain float64, from its definition (pytorch-fid's {@code InceptionV3}
 * blocks 0-3 with FIDInceptionA/C/E): every unit a convolution, then batch normalization
 * {@code (x - mean) / sqrt(var + 0.001) * gamma + beta} as its own step, then ReLU. One image at a
 * time, as [channel][row][column].
 */
public final class ReferenceInception {
    private static final double EPS = 0.001;
    private final FidInceptionWeights weights;

    public ReferenceInception(FidInceptionWeights weights) {
        this.weights = weights;
    }

    /** The pool3 features of one input image [3][299][299] (already scaled as the weights expect). */
    public double[] features(double[][][] image) {
        double[][][] x = unit("Conv2d_1a_3x3", image);
        x = unit("Conv2d_2a_3x3", x);
        x = unit("Conv2d_2b_3x3", x);
        x = maxPool(x, 2, 0);
        x = unit("Conv2d_3b_1x1", x);
        x = unit("Conv2d_4a_3x3", x);
        x = maxPool(x, 2, 0);
        for (String b : new String[] {"Mixed_5b", "Mixed_5c", "Mixed_5d"}) {
            x = concat(unit(b + ".branch1x1", x),
                    unit(b + ".branch5x5_2", unit(b + ".branch5x5_1", x)),
                    unit(b + ".branch3x3dbl_3", unit(b + ".branch3x3dbl_2", unit(b + ".branch3x3dbl_1", x))),
                    unit(b + ".branch_pool", averagePoolExcludingPad(x)));
        }
        x = concat(unit("Mixed_6a.branch3x3", x),
                unit("Mixed_6a.branch3x3dbl_3", unit("Mixed_6a.branch3x3dbl_2", unit("Mixed_6a.branch3x3dbl_1", x))),
                maxPool(x, 2, 0));
        for (String b : new String[] {"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"}) {
            double[][][] dbl = x;
            for (int i = 1; i <= 5; i++) dbl = unit(b + ".branch7x7dbl_" + i, dbl);
            x = concat(unit(b + ".branch1x1", x),
                    unit(b + ".branch7x7_3", unit(b + ".branch7x7_2", unit(b + ".branch7x7_1", x))),
                    dbl,
                    unit(b + ".branch_pool", averagePoolExcludingPad(x)));
        }
        double[][][] seven = x;
        for (int i = 1; i <= 4; i++) seven = unit("Mixed_7a.branch7x7x3_" + i, seven);
        x = concat(unit("Mixed_7a.branch3x3_2", unit("Mixed_7a.branch3x3_1", x)), seven, maxPool(x, 2, 0));
        for (String b : new String[] {"Mixed_7b", "Mixed_7c"}) {
            double[][][] three = unit(b + ".branch3x3_1", x);
            double[][][] dbl = unit(b + ".branch3x3dbl_2", unit(b + ".branch3x3dbl_1", x));
            double[][][] pooled = b.equals("Mixed_7c") ? maxPool(x, 1, 1) : averagePoolExcludingPad(x);
            x = concat(unit(b + ".branch1x1", x), unit(b + ".branch3x3_2a", three), unit(b + ".branch3x3_2b", three),
                    unit(b + ".branch3x3dbl_3a", dbl), unit(b + ".branch3x3dbl_3b", dbl), unit(b + ".branch_pool", pooled));
        }
        double[] out = new double[x.length];
        for (int c = 0; c < x.length; c++) {
            double sum = 0;
            for (double[] row : x[c]) for (double v : row) sum += v;
            out[c] = sum / (x[c].length * x[c][0].length);
        }
        return out;
    }

    private double[][][] unit(String name, double[][][] x) {
        Unit u = FidInceptionLayout.unit(name);
        FidInceptionWeights.ConvBn p = weights.unit(name);
        float[] w = p.weight().toFloats();
        int out = p.outChannels();
        int in = x.length;
        int h = x[0].length;
        int wd = x[0][0].length;
        int kh = u.kernelH();
        int kw = u.kernelW();
        int oh = (h + 2 * u.padH() - kh) / u.stride() + 1;
        int ow = (wd + 2 * u.padW() - kw) / u.stride() + 1;
        double[][][] y = new double[out][oh][ow];
        for (int o = 0; o < out; o++) {
            double gamma = p.gamma() == null ? 1 : p.gamma()[o];
            double norm = gamma / Math.sqrt(p.var()[o] + EPS);
            for (int r = 0; r < oh; r++) {
                for (int col = 0; col < ow; col++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        for (int a = 0; a < kh; a++) {
                            int sr = r * u.stride() - u.padH() + a;
                            if (sr < 0 || sr >= h) continue;
                            for (int b = 0; b < kw; b++) {
                                int sc = col * u.stride() - u.padW() + b;
                                if (sc < 0 || sc >= wd) continue;
                                sum += w[((o * in + i) * kh + a) * kw + b] * x[i][sr][sc];
                            }
                        }
                    }
                    double normalized = (sum - p.mean()[o]) * norm + p.beta()[o];
                    y[o][r][col] = Math.max(0, normalized);
                }
            }
        }
        return y;
    }

    /** 3x3 max over the window (padding never wins: it is minus infinity). */
    private static double[][][] maxPool(double[][][] x, int stride, int pad) {
        int h = x[0].length;
        int w = x[0][0].length;
        int oh = (h + 2 * pad - 3) / stride + 1;
        int ow = (w + 2 * pad - 3) / stride + 1;
        double[][][] y = new double[x.length][oh][ow];
        for (int c = 0; c < x.length; c++) {
            for (int r = 0; r < oh; r++) {
                for (int col = 0; col < ow; col++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) {
                            int sr = r * stride - pad + a;
                            int sc = col * stride - pad + b;
                            if (sr >= 0 && sr < h && sc >= 0 && sc < w) m = Math.max(m, x[c][sr][sc]);
                        }
                    }
                    y[c][r][col] = m;
                }
            }
        }
        return y;
    }

    /** 3x3 stride-1 average over the cells inside the image (TensorFlow's rule, count_include_pad=False). */
    private static double[][][] averagePoolExcludingPad(double[][][] x) {
        int h = x[0].length;
        int w = x[0][0].length;
        double[][][] y = new double[x.length][h][w];
        for (int c = 0; c < x.length; c++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    double sum = 0;
                    int n = 0;
                    for (int sr = Math.max(0, r - 1); sr <= Math.min(h - 1, r + 1); sr++) {
                        for (int sc = Math.max(0, col - 1); sc <= Math.min(w - 1, col + 1); sc++) {
                            sum += x[c][sr][sc];
                            n++;
                        }
                    }
                    y[c][r][col] = sum / n;
                }
            }
        }
        return y;
    }

    private static double[][][] concat(double[][][]... parts) {
        int total = 0;
        for (double[][][] p : parts) total += p.length;
        double[][][] out = new double[total][][];
        int at = 0;
        for (double[][][] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
