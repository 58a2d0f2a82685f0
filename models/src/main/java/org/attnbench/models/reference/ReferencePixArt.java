package org.attnbench.models.reference;

import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.attnbench.models.attention.TokenPartition;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' PixArtTransformer2DModel in float64, written to be read against the Python, one
 * image at a time. Weights by their diffusers names; the method (dense, ToDo, ToMe) acts on the
 * self-attention of the blocks {@code patched} accepts, on the image tokens' patch grid.
 *
 * <pre>
 *   x    = patchify(latents) W_patch^T + b + PE           PE: 2-D sin-cos, column half first
 *   temb = L2(SiLU(L1([cos(t f), sin(t f)])))              f_k = 10000^(-k/128)
 *   t6   = L(SiLU(temb)) as [6][D]
 *   ctx  = L2(GELU_tanh(L1(caption)))
 *   per block, (s0, c0, g0, s1, c1, g1) = table + t6:
 *     x += g0 * attn1(LN(x) (1 + c0) + s0)               keys/values downsampled (ToDo) or merged (ToMe)
 *     x += attn2(x, ctx)
 *     x += g1 * FF(LN(x) (1 + c1) + s1)
 *   out  = unpatchify(proj_out(LN(x) (1 + scale) + shift)),  (shift, scale) = table_out + temb
 * </pre>
 */
public final class ReferencePixArt {
    /** Sizes the reference needs (a config's, spelt out so that it does not depend on the graph's code). */
    public record Shape(int heads, int dim, int patch, int inChannels, int outChannels, int layers, int sampleSize,
            double interpolationScale, double eps) {}

    private final Shape s;
    private final Map<String, HostTensor> w;

    public ReferencePixArt(Shape shape, Map<String, HostTensor> weights) {
        this.s = shape;
        this.w = weights;
    }

    /**
     * @param latents [C][H][W] of one image
     * @param t the timestep
     * @param caption [L][caption channels]
     * @return the prediction [out channels][H][W]
     */
    public double[][][] forward(double[][][] latents, double t, double[][] caption, VariantParams method,
            IntPredicate patched, int imageIndex, int batch) {
        int p = s.patch(), h = latents[0].length, wd = latents[0][0].length, gh = h / p, gw = wd / p, d = s.dim();
        double[][] x = new double[gh * gw][];
        double[][] pe = positions(gh, gw);
        double[][] patchW = matrix("pos_embed.proj.weight", d);
        double[] patchB = vector("pos_embed.proj.bias");
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                double[] token = new double[d];
                for (int o = 0; o < d; o++) {
                    double acc = patchB[o];
                    int at = 0; // the flattened filter [in][p][p]
                    for (int ch = 0; ch < s.inChannels(); ch++) {
                        for (int u = 0; u < p; u++) {
                            for (int v = 0; v < p; v++) acc += patchW[o][at++] * latents[ch][r * p + u][c * p + v];
                        }
                    }
                    token[o] = acc + pe[r * gw + c][o];
                }
                x[r * gw + c] = token;
            }
        }
        double[] temb = timestepEmbedding(t);
        double[] t6 = linear(new double[][] {silu(temb)}, "adaln_single.linear")[0];
        double[][] ctx = linear(geluTanh(linear(caption, "caption_projection.linear_1")), "caption_projection.linear_2");
        for (int i = 0; i < s.layers(); i++) {
            String prefix = "transformer_blocks." + i;
            double[][] m = modulation(vector(prefix + ".scale_shift_table"), t6, 6);
            VariantParams here = patched.test(i) ? method : new VariantParams.DenseParams();
            double[][] n = modulate(layerNorm(x), m[0], m[1]);
            x = addGated(x, selfAttention(here, prefix + ".attn1", x, n, gh, gw, imageIndex, batch), m[2]);
            x = addGated(x, attend(prefix + ".attn2", x, ctx), null);
            double[][] f = linear(geluTanh(linear(modulate(layerNorm(x), m[3], m[4]), prefix + ".ff.net.0.proj")),
                    prefix + ".ff.net.2");
            x = addGated(x, f, m[5]);
        }
        double[][] out = modulation(vector("scale_shift_table"), temb, 2);
        double[][] z = linear(modulate(layerNorm(x), out[0], out[1]), "proj_out");
        double[][][] image = new double[s.outChannels()][h][wd];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                for (int u = 0; u < p; u++) {
                    for (int v = 0; v < p; v++) {
                        for (int ch = 0; ch < s.outChannels(); ch++) {
                            image[ch][r * p + u][c * p + v] = z[r * gw + c][(u * p + v) * s.outChannels() + ch];
                        }
                    }
                }
            }
        }
        return image;
    }

    /** attn1 on n under the method; ToMe matches on the block input x, as on the UNets. */
    private double[][] selfAttention(VariantParams method, String prefix, double[][] x, double[][] n, int gh, int gw,
            int imageIndex, int batch) {
        if (method instanceof VariantParams.TodoParams todo) {
            return attend(prefix, n, ReferenceDownsample.apply(n, gh, gw, todo.factor(), todo.method()));
        }
        if (method instanceof VariantParams.TomeParams tome) {
            TokenPartition partition = ReferenceTokenMerge.partition(batch, gh, gw, tome);
            if (partition.mergeCount(tome.ratio()) > 0) {
                // The partition is drawn for the whole batch; this image's plan uses its own row of it.
                List<MergePlan> plans = ReferenceTokenMerge.plans(onlyAt(tome.kvOnly() ? n : x, imageIndex, batch),
                        partition, tome.ratio());
                MergePlan plan = plans.get(imageIndex);
                return tome.kvOnly() ? attend(prefix, n, plan.merge(n)) : plan.unmerge(attend(prefix, plan.merge(n), plan.merge(n)));
            }
        }
        return attend(prefix, n, n);
    }

    /** A batch whose element {@code index} is {@code tokens}; the others are copies (only its plan is used). */
    private static double[][][] onlyAt(double[][] tokens, int index, int batch) {
        double[][][] out = new double[batch][][];
        for (int b = 0; b < batch; b++) out[b] = tokens;
        return out;
    }

    private double[][] attend(String prefix, double[][] queriesFrom, double[][] kvFrom) {
        double[][] q = linear(queriesFrom, prefix + ".to_q");
        double[][] k = linear(kvFrom, prefix + ".to_k");
        double[][] v = linear(kvFrom, prefix + ".to_v");
        return linear(ReferenceAttention.attention(q, k, v, s.heads()), prefix + ".to_out.0");
    }

    private double[] timestepEmbedding(double t) {
        double[] proj = new double[256];
        for (int k = 0; k < 128; k++) {
            double a = t * Math.exp(-Math.log(10000) * k / 128);
            proj[k] = Math.cos(a);
            proj[128 + k] = Math.sin(a);
        }
        String mlp = "adaln_single.emb.timestep_embedder";
        double[][] hidden = linear(new double[][] {proj}, mlp + ".linear_1");
        return linear(new double[][] {silu(hidden[0])}, mlp + ".linear_2")[0];
    }

    /** table [rows * D] plus the conditioning [rows * D] (or [D], repeated), as rows of D. */
    private double[][] modulation(double[] table, double[] conditioning, int rows) {
        int d = s.dim();
        double[][] m = new double[rows][d];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < d; k++) {
                m[r][k] = table[r * d + k] + conditioning[conditioning.length == d ? k : r * d + k];
            }
        }
        return m;
    }

    private double[][] positions(int gh, int gw) {
        int d = s.dim(), quarter = d / 4;
        double base = (double) s.sampleSize() / s.patch();
        double[][] pe = new double[gh * gw][d];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                double col = c * base / gw / s.interpolationScale();
                double row = r * base / gh / s.interpolationScale();
                for (int k = 0; k < quarter; k++) {
                    double omega = Math.pow(10000, -(double) k / quarter);
                    pe[r * gw + c][k] = Math.sin(col * omega);
                    pe[r * gw + c][quarter + k] = Math.cos(col * omega);
                    pe[r * gw + c][2 * quarter + k] = Math.sin(row * omega);
                    pe[r * gw + c][3 * quarter + k] = Math.cos(row * omega);
                }
            }
        }
        return pe;
    }

    private double[][] layerNorm(double[][] x) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v;
            mean /= x[t].length;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            var /= x[t].length;
            out[t] = new double[x[t].length];
            for (int k = 0; k < x[t].length; k++) out[t][k] = (x[t][k] - mean) / Math.sqrt(var + s.eps());
        }
        return out;
    }

    private static double[][] modulate(double[][] x, double[] shift, double[] scale) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) out[t][k] = x[t][k] * (1 + scale[k]) + shift[k];
        }
        return out;
    }

    /** x + gate * y (gate null: x + y). */
    private static double[][] addGated(double[][] x, double[][] y, double[] gate) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) out[t][k] = x[t][k] + (gate == null ? 1 : gate[k]) * y[t][k];
        }
        return out;
    }

    private static double[] silu(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] / (1 + Math.exp(-x[i]));
        return out;
    }

    private static double[][] geluTanh(double[][] x) {
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int k = 0; k < x[t].length; k++) {
                double v = x[t][k];
                out[t][k] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            }
        }
        return out;
    }

    private double[][] linear(double[][] x, String prefix) {
        return ReferenceAttention.linear(x, matrix(prefix + ".weight", -1), vector(prefix + ".bias"));
    }

    /** A weight as [rows][the rest], rows = its first dimension. */
    private double[][] matrix(String name, int expectedRows) {
        HostTensor t = tensor(name);
        int rows = (int) t.shape()[0];
        if (expectedRows >= 0 && rows != expectedRows) throw new IllegalArgumentException(name + " has " + rows + " rows");
        float[] v = t.toFloats();
        int cols = v.length / rows;
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[r][c] = v[r * cols + c];
        return m;
    }

    private double[] vector(String name) {
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
}
