package org.attnbench.models.reference;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' SD3Transformer2DModel in float64, written to be read against the Python, one image at
 * a time. Weights by their diffusers names; a method's float64 twin ({@link BlockMethod}) acts on the image tokens
 * of the joint attention (and of SD 3.5's dual attention) in the blocks {@code patched} accepts.
 *
 * <pre>
 *   x    = patchify(latents) W^T + b + PE       PE: sin-cos of the centre window of a max x max grid
 *   temb = L2(SiLU(L1(sinusoid(t)))) + L2(SiLU(L1(pooled)));   c = SiLU(temb);   ctx = L(text)
 *   per block, m = L_norm1(c) as (shift, scale, gate) x (msa, mlp[, msa2]); mc = L_norm1_context(c):
 *     (a, a_ctx) = softmax over [image; text] of q k^T / sqrt(d), per head, projected per stream
 *     x += gate_msa a;  [x += gate_msa2 attn2(LN(x) (1 + scale_msa2) + shift_msa2)]
 *     x += gate_mlp FF(LN(x) (1 + scale_mlp) + shift_mlp)
 *     ctx += c_gate_msa a_ctx;  ctx += c_gate_mlp FF_ctx(...)      (not in the last block)
 *   out  = unpatchify(proj_out(LN(x) (1 + scale) + shift)),  (scale, shift) = L_norm_out(c)
 * </pre>
 */
public final class ReferenceSD3 {
    private static final double EPS = 1e-6;

    /** Sizes the reference needs (a config's, spelt out so that it does not depend on the graph's code). */
    public record Shape(int heads, int dim, int patch, int inChannels, int outChannels, int layers, int sampleSize,
            int posEmbedMaxSize, Set<Integer> dualAttentionLayers, boolean qkNorm) {}

    private final Shape s;
    private final DitMath w;

    public ReferenceSD3(Shape shape, Map<String, HostTensor> weights) {
        this.s = shape;
        this.w = new DitMath(weights);
    }

    /**
     * @param latents [C][H][W] of one image
     * @param text [L][joint_attention_dim]
     * @param pooled [pooled_projection_dim]
     * @return the prediction [out channels][H][W]
     */
    public double[][][] forward(double[][][] latents, double t, double[][] text, double[] pooled, BlockMethod method,
            IntPredicate patched, int imageIndex, int batch) {
        int p = s.patch(), gh = latents[0].length / p, gw = latents[0][0].length / p;
        double[][] x = w.linear(DitMath.patches(latents, p), "pos_embed.proj");
        double[][] pe = positions(gh, gw);
        for (int i = 0; i < x.length; i++) for (int k = 0; k < s.dim(); k++) x[i][k] += pe[i][k];
        String time = "time_text_embed.timestep_embedder", words = "time_text_embed.text_embedder";
        double[] temb = w.linear(DitMath.silu(w.linear(DitMath.timestepSinusoid(t), time + ".linear_1")), time + ".linear_2");
        double[] pooledEmb = w.linear(DitMath.silu(w.linear(pooled, words + ".linear_1")), words + ".linear_2");
        double[] c = new double[temb.length];
        for (int k = 0; k < c.length; k++) c[k] = temb[k] + pooledEmb[k];
        c = DitMath.silu(c);
        double[][] ctx = w.linear(text, "context_embedder");
        for (int i = 0; i < s.layers(); i++) {
            double[][][] out = block(i, x, ctx, c, patched.test(i) ? method : BlockMethod.unpatched(Kernel.MATMUL), gh, gw,
                    imageIndex, batch);
            x = out[0];
            ctx = out[1];
        }
        double[][] scaleShift = chunks(w.linear(c, "norm_out.linear"), 2);
        double[][] z = w.linear(DitMath.modulate(DitMath.layerNorm(x, EPS), scaleShift[1], scaleShift[0]), "proj_out");
        return DitMath.image(z, gh, gw, p, s.outChannels());
    }

    private double[][][] block(int i, double[][] x, double[][] ctx, double[] c, BlockMethod method, int gh, int gw,
            int imageIndex, int batch) {
        String at = "transformer_blocks." + i;
        boolean last = i == s.layers() - 1, dual = s.dualAttentionLayers().contains(i);
        double[][] m = chunks(w.linear(c, at + ".norm1.linear"), dual ? 9 : 6);
        double[][] mc = chunks(w.linear(c, at + ".norm1_context.linear"), last ? 2 : 6);
        double[][] nx = DitMath.layerNorm(x, EPS);
        double[][] nctx = last ? DitMath.modulate(DitMath.layerNorm(ctx, EPS), mc[1], mc[0])
                : DitMath.modulate(DitMath.layerNorm(ctx, EPS), mc[0], mc[1]);
        double[][][] a = patchedAttention(method, at + ".attn", x, DitMath.modulate(nx, m[0], m[1]), nctx, gh, gw, imageIndex,
                batch);
        double[][] xOut = DitMath.addGated(x, a[0], m[2]);
        if (dual) {
            double[][] a2 = patchedAttention(method, at + ".attn2", x, DitMath.modulate(nx, m[6], m[7]), null, gh, gw, imageIndex,
                    batch)[0];
            xOut = DitMath.addGated(xOut, a2, m[8]);
        }
        xOut = DitMath.addGated(xOut, feedForward(DitMath.modulate(DitMath.layerNorm(xOut, EPS), m[3], m[4]), at + ".ff"), m[5]);
        if (last) return new double[][][] {xOut, null};
        double[][] ctxOut = DitMath.addGated(ctx, w.linear(a[1], at + ".attn.to_add_out"), mc[2]);
        ctxOut = DitMath.addGated(ctxOut, feedForward(DitMath.modulate(DitMath.layerNorm(ctxOut, EPS), mc[3], mc[4]),
                at + ".ff_context"), mc[5]);
        return new double[][][] {xOut, ctxOut};
    }

    /** The joint attention under the method's twin: {image output projected, text part before to_add_out}. */
    private double[][][] patchedAttention(BlockMethod method, String prefix, double[][] x, double[][] n, double[][] text,
            int gh, int gw, int imageIndex, int batch) {
        return method.selfAttention((q, kv) -> attend(prefix, q.values(), kv.values(), text), x, n, gh, gw, imageIndex, batch);
    }

    /** One attention over the image tokens then the text tokens (none for attn2); the image part through to_out.0. */
    private double[][][] attend(String prefix, double[][] queriesFrom, double[][] kvFrom, double[][] text) {
        double[][] q = rms(w.linear(queriesFrom, prefix + ".to_q"), prefix + ".norm_q");
        double[][] k = rms(w.linear(kvFrom, prefix + ".to_k"), prefix + ".norm_k");
        double[][] v = w.linear(kvFrom, prefix + ".to_v");
        if (text != null) {
            q = rows(q, rms(w.linear(text, prefix + ".add_q_proj"), prefix + ".norm_added_q"));
            k = rows(k, rms(w.linear(text, prefix + ".add_k_proj"), prefix + ".norm_added_k"));
            v = rows(v, w.linear(text, prefix + ".add_v_proj"));
        }
        double[][] o = ReferenceAttention.attention(q, k, v, s.heads());
        int images = queriesFrom.length;
        double[][] image = Arrays.copyOfRange(o, 0, images);
        double[][] words = text == null ? null : Arrays.copyOfRange(o, images, o.length);
        return new double[][][] {w.linear(image, prefix + ".to_out.0"), words};
    }

    /** q/k RMSNorm per head (eps 1e-6); x as is without qk_norm. */
    private double[][] rms(double[][] x, String norm) {
        return s.qkNorm() ? DitMath.rmsPerHead(x, w.vector(norm + ".weight"), EPS) : x;
    }

    private double[][] feedForward(double[][] x, String prefix) {
        return w.linear(DitMath.geluTanh(w.linear(x, prefix + ".net.0.proj")), prefix + ".net.2");
    }

    /** A vector of rows x D as rows of D, in order. */
    private double[][] chunks(double[] v, int rows) {
        double[][] out = new double[rows][s.dim()];
        for (int r = 0; r < rows; r++) System.arraycopy(v, r * s.dim(), out[r], 0, s.dim());
        return out;
    }

    private static double[][] rows(double[][] a, double[][] b) {
        double[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The sin-cos table of a max x max grid (coordinates index * base / max, base = sample_size / patch), its centre gh x gw. */
    private double[][] positions(int gh, int gw) {
        int max = s.posEmbedMaxSize(), top = (max - gh) / 2, left = (max - gw) / 2;
        double base = (double) s.sampleSize() / s.patch();
        double[][] pe = new double[gh * gw][];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) pe[r * gw + c] = DitMath.sinCos(s.dim(), (left + c) * base / max, (top + r) * base / max);
        }
        return pe;
    }
}
