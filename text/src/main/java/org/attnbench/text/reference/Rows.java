package org.attnbench.text.reference;

/** The layers both encoders use, on one sequence's token rows [L][D], in float64. */
final class Rows {
    private Rows() {}

    /** x W^T + b, W [out][in]; b may be null. */
    static double[][] linear(double[][] x, double[][] w, double[] b) {
        double[][] out = new double[x.length][w.length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < w.length; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < x[t].length; i++) s += x[t][i] * w[o][i];
                out[t][o] = s;
            }
        }
        return out;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int t = 0; t < a.length; t++) {
            out[t] = new double[a[t].length];
            for (int i = 0; i < a[t].length; i++) out[t][i] = a[t][i] + b[t][i];
        }
        return out;
    }

    /** (x - mean) / sqrt(variance + eps) * gamma + beta over each row, the variance biased. */
    static double[][] layerNorm(double[][] x, double[] gamma, double[] beta, double eps) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0;
            for (double v : x[t]) mean += v;
            mean /= d;
            double var = 0;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            var /= d;
            out[t] = new double[d];
            for (int i = 0; i < d; i++) out[t][i] = (x[t][i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
        }
        return out;
    }

    /** x / sqrt(mean(x^2) + eps) * gamma over each row. */
    static double[][] rmsNorm(double[][] x, double[] gamma, double eps) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double ms = 0;
            for (double v : x[t]) ms += v * v;
            ms /= d;
            out[t] = new double[d];
            for (int i = 0; i < d; i++) out[t][i] = x[t][i] / Math.sqrt(ms + eps) * gamma[i];
        }
        return out;
    }

    /** Applies f to every element. */
    static double[][] map(double[][] x, java.util.function.DoubleUnaryOperator f) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) out[t][i] = f.applyAsDouble(x[t][i]);
        }
        return out;
    }

    /**
     * Multi-head attention over one sequence: head h reads columns [h d, (h + 1) d) of q, k and v;
     * query i attends the keys j where {@code attends[i][j]}, weighted by softmax(scale q.k + bias[h][i][j])
     * (bias may be null). A query that may attend no key weighs every key equally, which is what
     * transformers' float32 masking (adding the most negative float) comes to.
     */
    static double[][] attention(double[][] q, double[][] k, double[][] v, int heads, int headDim, double scale,
                                double[][][] bias, boolean[][] attends) {
        int l = q.length;
        double[][] out = new double[l][heads * headDim];
        for (int h = 0; h < heads; h++) {
            int c0 = h * headDim;
            for (int i = 0; i < l; i++) {
                boolean any = false;
                for (int j = 0; j < l; j++) any |= attends[i][j];
                double[] score = new double[l];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < l; j++) {
                    if (any && !attends[i][j]) continue;
                    double s = 0;
                    for (int c = 0; c < headDim; c++) s += q[i][c0 + c] * k[j][c0 + c];
                    score[j] = any ? s * scale + (bias == null ? 0 : bias[h][i][j]) : 0;
                    max = Math.max(max, score[j]);
                }
                double sum = 0;
                double[] weight = new double[l];
                for (int j = 0; j < l; j++) {
                    if (any && !attends[i][j]) continue;
                    weight[j] = Math.exp(score[j] - max);
                    sum += weight[j];
                }
                for (int j = 0; j < l; j++) {
                    if (weight[j] == 0) continue;
                    for (int c = 0; c < headDim; c++) out[i][c0 + c] += weight[j] / sum * v[j][c0 + c];
                }
            }
        }
        return out;
    }
}
