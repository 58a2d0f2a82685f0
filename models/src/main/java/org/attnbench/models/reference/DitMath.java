package org.attnbench.models.reference;

import java.util.Map;
import org.attnbench.tensor.HostTensor;

/** What the float64 DiT references share: weights by diffusers name, and the small layers, on token rows. */
final class DitMath {
    private final Map<String, HostTensor> w;

    DitMath(Map<String, HostTensor> weights) {
        this.w = weights;
    }

    /** torch.nn.Linear under {@code prefix}.weight and .bias. */
    double[][] linear(double[][] x, String prefix) {
        return ReferenceAttention.linear(x, matrix(prefix + ".weight", -1), vector(prefix + ".bias"));
    }

    double[] linear(double[] x, String prefix) {
        return linear(new double[][] {x}, prefix)[0];
    }

    /** A weight as [rows][the rest], rows = its first dimension. */
    double[][] matrix(String name, int expectedRows) {
        HostTensor t = tensor(name);
        int rows = (int) t.shape()[0];
        if (expectedRows >= 0 && rows != expectedRows) throw new IllegalArgumentException(name + " has " + rows + " rows");
        float[] v = t.toFloats();
        int cols = v.length / rows;
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[r][c] = v[r * cols + c];
        return m;
    }

    double[] vector(String name) {
        float[] v = tensor(name).toFloats();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    private HostTensor tensor(String name) {
        HostTensor t = w.get(name);
        if (t == null) throw new IllegalArgumentException("no weight " + name);
        return t;
    }

    /** [cos(t f), sin(t f)], f_k = 10000^(-k/128): diffusers' 256-channel timestep sinusoid. */
    static double[] timestepSinusoid(double t) {
        double[] proj = new double[256];
        for (int k = 0; k < 128; k++) {
            double a = t * Math.exp(-Math.log(10000) * k / 128);
            proj[k] = Math.cos(a);
            proj[128 + k] = Math.sin(a);
        }
        return proj;
    }

    /** One token's 2-D sin-cos position: sin then cos of the column, then of the row, at frequencies 10000^(-k / (dim/4)). */
    static double[] sinCos(int dim, double col, double row) {
        int quarter = dim / 4;
        double[] pe = new double[dim];
        for (int k = 0; k < quarter; k++) {
            double omega = Math.pow(10000, -(double) k / quarter);
            pe[k] = Math.sin(col * omega);
            pe[quarter + k] = Math.cos(col * omega);
            pe[2 * quarter + k] = Math.sin(row * omega);
            pe[3 * quarter + k] = Math.cos(row * omega);
        }
        return pe;
    }

    /** Each head's channels (weight.length of them) divided by their root mean square (eps inside the root), times weight. */
    static double[][] rmsPerHead(double[][] x, double[] weight, double eps) {
        int d = weight.length;
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int h = 0; h < x[t].length / d; h++) {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += x[t][h * d + k] * x[t][h * d + k];
                double inv = 1 / Math.sqrt(sum / d + eps);
                for (int k = 0; k < d; k++) out[t][h * d + k] = x[t][h * d + k] * inv * weight[k];
            }
        }
        return out;
    }

    /** LayerNorm without affine: biased variance, eps inside the root. */
    static double[][] layerNorm(double[][] x, double eps) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v;
            mean /= x[t].length;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            var /= x[t].length;
            out[t] = new double[x[t].length];
            for (int k = 0; k < x[t].length; k++) out[t][k] = (x[t][k] - mean) / Math.sqrt(var + eps);
        }
        return out;
    }

    static double[][] modulate(double[][] x, double[] shift, double[] scale) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) out[t][k] = x[t][k] * (1 + scale[k]) + shift[k];
        }
        return out;
    }

    /** x + gate * y (gate null: x + y). */
    static double[][] addGated(double[][] x, double[][] y, double[] gate) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) out[t][k] = x[t][k] + (gate == null ? 1 : gate[k]) * y[t][k];
        }
        return out;
    }

    static double[] silu(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] / (1 + Math.exp(-x[i]));
        return out;
    }

    static double[][] geluTanh(double[][] x) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) {
                double v = x[t][k];
                out[t][k] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            }
        }
        return out;
    }

    /** Patchify: [C][H][W] to tokens [(H/p)(W/p)][C p p] in row-major patch order, each patch as the filter reads it ([c][u][v]). */
    static double[][] patches(double[][][] latents, int p) {
        int ch = latents.length, gh = latents[0].length / p, gw = latents[0][0].length / p;
        double[][] out = new double[gh * gw][ch * p * p];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                int at = 0;
                for (int k = 0; k < ch; k++) {
                    for (int u = 0; u < p; u++) {
                        for (int v = 0; v < p; v++) out[r * gw + c][at++] = latents[k][r * p + u][c * p + v];
                    }
                }
            }
        }
        return out;
    }

    /** Unpatchify: tokens [(H/p)(W/p)][p p C] ((u, v) outer, channel inner) back to [C][H][W]. */
    static double[][][] image(double[][] z, int gh, int gw, int p, int channels) {
        double[][][] image = new double[channels][gh * p][gw * p];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                for (int u = 0; u < p; u++) {
                    for (int v = 0; v < p; v++) {
                        for (int k = 0; k < channels; k++) image[k][r * p + u][c * p + v] = z[r * gw + c][(u * p + v) * channels + k];
                    }
                }
            }
        }
        return image;
    }
}
