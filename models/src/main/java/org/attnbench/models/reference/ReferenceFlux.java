package org.attnbench.models.reference;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' FluxTransformer2DModel in float64, with the pipeline's 2x2 latent packing, written to
 * be read against the Python, one image at a time. Weights by their diffusers names; a method's
 * float64 twin ({@link BlockMethod}) acts on the image tokens of every attention in the blocks {@code patched}
 * accepts (double-stream blocks 0..layers-1, then single-stream blocks).
 *
 * <pre>
 *   x    = x_embedder(pack(latents));   ids: text (0, 0, 0), image (0, row, column)
 *   temb = L2(SiLU(L1(sinusoid(t)))) [+ same for 1000 guidance] + L2(SiLU(L1(pooled)));  c = SiLU(temb)
 *   double block: (a_ctx, a) = softmax over [text; image] of rope(q) rope(k)^T / sqrt(d), v
 *       x += gate a W_out;  x += gate FF(...);  ctx += gate a_ctx W_add_out;  ctx += gate FF_ctx(...)
 *   single block over h = [ctx; x]: n = LN(h) (1 + scale) + shift
 *       h += gate proj_out([attention(n), GELU_tanh(proj_mlp(n))])
 *   out  = unpack(proj_out(LN(x) (1 + scale) + shift)),  (scale, shift) = L_norm_out(c)
 * </pre>
 * rope rotates each head's channel pairs (2i, 2i+1) by the sum over axes of id_axis x theta^(-2i/d_axis)
 * (theta 10000), every token, text included. Under a method, the tokens it makes carry the
 * positions the same operation makes of the grid's (ToDo: the downsampled positions, the cell's
 * centre for max pooling; ToMe: the mean of the merged positions).
 */
public final class ReferenceFlux {
    private static final double EPS = 1e-6;
    private static final double THETA = 10000;

    /** Sizes the reference needs, spelt out so that it does not depend on the graph's code. */
    public record Shape(int heads, int dim, int inChannels, int layers, int singleLayers, List<Integer> axes) {}

    private final Shape s;
    private final DitMath w;

    public ReferenceFlux(Shape shape, Map<String, HostTensor> weights) {
        this.s = shape;
        this.w = new DitMath(weights);
    }

    /**
     * @param latents [C][H][W] of one image (C = in_channels / 4)
     * @param t the timestep, 1000 sigma
     * @param guidance Flux.1-dev's guidance scale; NaN for a model without a guidance embedder
     * @param text [L][joint_attention_dim]
     * @param pooled [pooled_projection_dim]
     * @return the prediction [C][H][W]
     */
    public double[][][] forward(double[][][] latents, double t, double guidance, double[][] text, double[] pooled,
            BlockMethod method, IntPredicate patched, int imageIndex, int batch) {
        int channels = latents.length, gh = latents[0].length / 2, gw = latents[0][0].length / 2;
        double[][] x = w.linear(pack(latents), "x_embedder");
        double[] temb = embed(DitMath.timestepSinusoid(t), "time_text_embed.timestep_embedder");
        if (!Double.isNaN(guidance)) {
            temb = sum(temb, embed(DitMath.timestepSinusoid(1000 * guidance), "time_text_embed.guidance_embedder"));
        }
        double[] c = DitMath.silu(sum(temb, embed(pooled, "time_text_embed.text_embedder")));
        double[][] ctx = w.linear(text, "context_embedder");
        double[][] positions = new double[gh * gw][];
        for (int r = 0; r < gh; r++) for (int col = 0; col < gw; col++) positions[r * gw + col] = new double[] {r, col};
        Attention attention = new Attention(gh, gw, positions, imageIndex, batch);
        for (int i = 0; i < s.layers(); i++) {
            BlockMethod m = patched.test(i) ? method : BlockMethod.unpatched(Kernel.MATMUL);
            double[][][] out = doubleBlock("transformer_blocks." + i, x, ctx, c, attention.with(m));
            x = out[0];
            ctx = out[1];
        }
        for (int i = 0; i < s.singleLayers(); i++) {
            BlockMethod m = patched.test(s.layers() + i) ? method : BlockMethod.unpatched(Kernel.MATMUL);
            double[][][] out = singleBlock("single_transformer_blocks." + i, x, ctx, c, attention.with(m));
            x = out[0];
            ctx = out[1];
        }
        double[][] scaleShift = chunks(w.linear(c, "norm_out.linear"), 2);
        double[][] z = w.linear(DitMath.modulate(DitMath.layerNorm(x, EPS), scaleShift[1], scaleShift[0]), "proj_out");
        return unpack(z, gh, gw, channels);
    }

    private double[][][] doubleBlock(String at, double[][] x, double[][] ctx, double[] c, Attention attention) {
        double[][] m = chunks(w.linear(c, at + ".norm1.linear"), 6);
        double[][] mc = chunks(w.linear(c, at + ".norm1_context.linear"), 6);
        double[][] nx = DitMath.modulate(DitMath.layerNorm(x, EPS), m[0], m[1]);
        double[][] nctx = DitMath.modulate(DitMath.layerNorm(ctx, EPS), mc[0], mc[1]);
        double[][][] a = attention.run(at + ".attn", x, nx, nctx, true);
        x = DitMath.addGated(x, w.linear(a[0], at + ".attn.to_out.0"), m[2]);
        x = DitMath.addGated(x, feedForward(DitMath.modulate(DitMath.layerNorm(x, EPS), m[3], m[4]), at + ".ff"), m[5]);
        ctx = DitMath.addGated(ctx, w.linear(a[1], at + ".attn.to_add_out"), mc[2]);
        ctx = DitMath.addGated(ctx, feedForward(DitMath.modulate(DitMath.layerNorm(ctx, EPS), mc[3], mc[4]), at + ".ff_context"),
                mc[5]);
        return new double[][][] {x, ctx};
    }

    private double[][][] singleBlock(String at, double[][] x, double[][] ctx, double[] c, Attention attention) {
        double[][] m = chunks(w.linear(c, at + ".norm.linear"), 3);
        double[][] nx = DitMath.modulate(DitMath.layerNorm(x, EPS), m[0], m[1]);
        double[][] nctx = DitMath.modulate(DitMath.layerNorm(ctx, EPS), m[0], m[1]);
        double[][][] a = attention.run(at + ".attn", x, nx, nctx, false);
        double[][] h = rows(ctx, x), attended = rows(a[1], a[0]);
        double[][] mlp = DitMath.geluTanh(w.linear(rows(nctx, nx), at + ".proj_mlp"));
        double[][] both = new double[h.length][];
        for (int i = 0; i < h.length; i++) {
            both[i] = Arrays.copyOf(attended[i], attended[i].length + mlp[i].length);
            System.arraycopy(mlp[i], 0, both[i], attended[i].length, mlp[i].length);
        }
        h = DitMath.addGated(h, w.linear(both, at + ".proj_out"), m[2]);
        return new double[][][] {Arrays.copyOfRange(h, ctx.length, h.length), Arrays.copyOfRange(h, 0, ctx.length)};
    }

    /** The attention of one block under one method's twin; every token it hands on carries its positions. */
    private final class Attention {
        private final int gh, gw, imageIndex, batch;
        private final double[][] positions;
        private BlockMethod method;

        Attention(int gh, int gw, double[][] positions, int imageIndex, int batch) {
            this.gh = gh;
            this.gw = gw;
            this.positions = positions;
            this.imageIndex = imageIndex;
            this.batch = batch;
        }

        Attention with(BlockMethod m) {
            method = m;
            return this;
        }

        /** {image output, text output}, before any output projection. */
        double[][][] run(String prefix, double[][] x, double[][] n, double[][] text, boolean doubleStream) {
            return method.selfAttention((q, kv) -> attend(prefix, q.values(), q.select(positions), kv.values(),
                    kv.select(positions), text, doubleStream), x, n, gh, gw, imageIndex, batch);
        }
    }

    /** One attention over [text; image]: text through its own projections in double-stream blocks, the same ones in single. */
    private double[][][] attend(String prefix, double[][] queriesFrom, double[][] queryPositions, double[][] kvFrom,
            double[][] kvPositions, double[][] text, boolean doubleStream) {
        String tq = doubleStream ? ".add_q_proj" : ".to_q", tk = doubleStream ? ".add_k_proj" : ".to_k";
        String tv = doubleStream ? ".add_v_proj" : ".to_v";
        String nq = doubleStream ? ".norm_added_q" : ".norm_q", nk = doubleStream ? ".norm_added_k" : ".norm_k";
        double[][] textAt = new double[text.length][2]; // text ids are (0, 0, 0)
        double[][] q = rows(rope(rms(w.linear(text, prefix + tq), prefix + nq), textAt),
                rope(rms(w.linear(queriesFrom, prefix + ".to_q"), prefix + ".norm_q"), queryPositions));
        double[][] k = rows(rope(rms(w.linear(text, prefix + tk), prefix + nk), textAt),
                rope(rms(w.linear(kvFrom, prefix + ".to_k"), prefix + ".norm_k"), kvPositions));
        double[][] v = rows(w.linear(text, prefix + tv), w.linear(kvFrom, prefix + ".to_v"));
        double[][] o = ReferenceAttention.attention(q, k, v, s.heads());
        return new double[][][] {Arrays.copyOfRange(o, text.length, o.length), Arrays.copyOfRange(o, 0, text.length)};
    }

    /** Each head's pairs (2i, 2i+1) rotated by the token's angle on its axis: (x0 cos - x1 sin, x1 cos + x0 sin). */
    private double[][] rope(double[][] x, double[][] rowColumn) {
        int headDim = s.dim() / s.heads();
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            double[] id = {0, rowColumn[t][0], rowColumn[t][1]};
            for (int h = 0; h < s.heads(); h++) {
                int pair = 0;
                for (int a = 0; a < 3; a++) {
                    int d = s.axes().get(a);
                    for (int i = 0; i < d / 2; i++, pair++) {
                        double angle = id[a] * Math.pow(THETA, -2.0 * i / d);
                        int k = h * headDim + 2 * pair;
                        out[t][k] = x[t][k] * Math.cos(angle) - x[t][k + 1] * Math.sin(angle);
                        out[t][k + 1] = x[t][k + 1] * Math.cos(angle) + x[t][k] * Math.sin(angle);
                    }
                }
            }
        }
        return out;
    }

    /** q/k RMSNorm per head (eps 1e-6). */
    private double[][] rms(double[][] x, String norm) {
        return DitMath.rmsPerHead(x, w.vector(norm + ".weight"), EPS);
    }

    private double[] embed(double[] v, String embedder) {
        return w.linear(DitMath.silu(w.linear(v, embedder + ".linear_1")), embedder + ".linear_2");
    }

    private double[][] feedForward(double[][] x, String prefix) {
        return w.linear(DitMath.geluTanh(w.linear(x, prefix + ".net.0.proj")), prefix + ".net.2");
    }

    /** FluxPipeline._pack_latents: [C][H][W] to tokens [(H/2)(W/2)][C 2 2], channel outer, then dy, dx. */
    static double[][] pack(double[][][] latents) {
        int ch = latents.length, gh = latents[0].length / 2, gw = latents[0][0].length / 2;
        double[][] out = new double[gh * gw][ch * 4];
        for (int r = 0; r < gh; r++) {
            for (int col = 0; col < gw; col++) {
                for (int k = 0; k < ch; k++) {
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) out[r * gw + col][k * 4 + dy * 2 + dx] = latents[k][2 * r + dy][2 * col + dx];
                    }
                }
            }
        }
        return out;
    }

    /** FluxPipeline._unpack_latents, the inverse of {@link #pack}. */
    static double[][][] unpack(double[][] z, int gh, int gw, int channels) {
        double[][][] out = new double[channels][2 * gh][2 * gw];
        for (int r = 0; r < gh; r++) {
            for (int col = 0; col < gw; col++) {
                for (int k = 0; k < channels; k++) {
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) out[k][2 * r + dy][2 * col + dx] = z[r * gw + col][k * 4 + dy * 2 + dx];
                    }
                }
            }
        }
        return out;
    }

    private double[][] chunks(double[] v, int rows) {
        double[][] out = new double[rows][s.dim()];
        for (int r = 0; r < rows; r++) System.arraycopy(v, r * s.dim(), out[r], 0, s.dim());
        return out;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
        return out;
    }

    private static double[][] rows(double[][] a, double[][] b) {
        double[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
