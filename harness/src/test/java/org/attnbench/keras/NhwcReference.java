package org.attnbench.keras;

/**
 * Keras layers on one NHWC image [h][w][c] in plain double precision, written from the Keras and
 * TensorFlow definitions (padding "same": the smaller half of the total padding first).
 */
final class NhwcReference {
    private NhwcReference() {}

    static int padBefore(int in, int k, int s) {
        int out = (in + s - 1) / s;
        return Math.max((out - 1) * s + k - in, 0) / 2;
    }

    /** Conv2D with an HWIO kernel [kh][kw][in][out] flattened, optional bias. */
    static double[][][] conv(double[][][] x, float[] kernel, int kh, int kw, int out, float[] bias, int stride, boolean same) {
        int h = x.length;
        int w = x[0].length;
        int in = x[0][0].length;
        int oh = same ? (h + stride - 1) / stride : (h - kh) / stride + 1;
        int ow = same ? (w + stride - 1) / stride : (w - kw) / stride + 1;
        int ph = same ? padBefore(h, kh, stride) : 0;
        int pw = same ? padBefore(w, kw, stride) : 0;
        double[][][] y = new double[oh][ow][out];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int o = 0; o < out; o++) {
                    double sum = bias == null ? 0 : bias[o];
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int r = i * stride + a - ph;
                            int c = j * stride + b - pw;
                            if (r < 0 || r >= h || c < 0 || c >= w) continue;
                            for (int ci = 0; ci < in; ci++) sum += x[r][c][ci] * kernel[((a * kw + b) * in + ci) * out + o];
                        }
                    }
                    y[i][j][o] = sum;
                }
            }
        }
        return y;
    }

    static double[][][] batchNorm(double[][][] x, float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        double[][][] y = new double[x.length][x[0].length][x[0][0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                for (int c = 0; c < x[0][0].length; c++) {
                    double g = gamma == null ? 1 : gamma[c];
                    y[i][j][c] = (x[i][j][c] - mean[c]) / Math.sqrt(var[c] + eps) * g + beta[c];
                }
            }
        }
        return y;
    }

    static double[][][] relu(double[][][] x) {
        double[][][] y = new double[x.length][x[0].length][];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                y[i][j] = x[i][j].clone();
                for (int c = 0; c < y[i][j].length; c++) y[i][j][c] = Math.max(0, y[i][j][c]);
            }
        }
        return y;
    }

    /** Pooling with window k, stride s; "same" averages only the cells inside the image. */
    static double[][][] pool(double[][][] x, int k, int s, boolean same, boolean max) {
        int h = x.length;
        int w = x[0].length;
        int ch = x[0][0].length;
        int oh = same ? (h + s - 1) / s : (h - k) / s + 1;
        int ow = same ? (w + s - 1) / s : (w - k) / s + 1;
        int ph = same ? padBefore(h, k, s) : 0;
        int pw = same ? padBefore(w, k, s) : 0;
        double[][][] y = new double[oh][ow][ch];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int c = 0; c < ch; c++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int r = i * s + a - ph;
                            int q = j * s + b - pw;
                            if (r < 0 || r >= h || q < 0 || q >= w) continue;
                            acc = max ? Math.max(acc, x[r][q][c]) : acc + x[r][q][c];
                            count++;
                        }
                    }
                    y[i][j][c] = max ? acc : acc / count;
                }
            }
        }
        return y;
    }

    static double[][][] concat(double[][][] a, double[][][] b) {
        int ca = a[0][0].length;
        int cb = b[0][0].length;
        double[][][] y = new double[a.length][a[0].length][ca + cb];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                System.arraycopy(a[i][j], 0, y[i][j], 0, ca);
                System.arraycopy(b[i][j], 0, y[i][j], ca, cb);
            }
        }
        return y;
    }

    /** Row-major over (h, w, c): channels vary fastest. */
    static double[] flatten(double[][][] x) {
        int ch = x[0][0].length;
        double[] y = new double[x.length * x[0].length * ch];
        int n = 0;
        for (double[][] row : x) for (double[] cell : row) for (int c = 0; c < ch; c++) y[n++] = cell[c];
        return y;
    }

    static double[] globalAverage(double[][][] x) {
        int ch = x[0][0].length;
        double[] y = new double[ch];
        for (double[][] row : x) for (double[] cell : row) for (int c = 0; c < ch; c++) y[c] += cell[c];
        for (int c = 0; c < ch; c++) y[c] /= x.length * x[0].length;
        return y;
    }

    static double[] denseSoftmax(double[] x, float[] kernel, float[] bias) {
        int out = bias.length;
        double[] y = new double[out];
        double max = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < out; o++) {
            double s = bias[o];
            for (int i = 0; i < x.length; i++) s += x[i] * kernel[i * out + o];
            y[o] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int o = 0; o < out; o++) sum += y[o] = Math.exp(y[o] - max);
        for (int o = 0; o < out; o++) y[o] /= sum;
        return y;
    }
}
