package org.attnbench.models.reference;

import java.util.Map;
import java.util.function.IntPredicate;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.tensor.HostTensor;

/**
 * diffusers' PixArtTransformer2DModel in float64, written to be read against the Python, one
 * image at a time. Weights by their diffusers names; a method's float64 twin ({@link BlockMethod}) acts on the
 * self-attention of the blocks {@code patched} accepts, on the image tokens' patch grid.
 *
 * <pre>
 *   x    = patchify(latents) W_patch^T + b + PE           PE: 2-D sin-cos, column half first
 *   temb = L2(SiLU(L1([cos(t f), sin(t f)])))              f_k = 10000^(-k/128)
 *          [+ (E_res(8h), E_res(8w), E_ar(h / w))]          with additional conditions: image size in pixels
 *   t6   = L(SiLU(temb)) as [6][D]
 *   ctx  = L2(GELU_tanh(L1(caption)))
 *   per block, (s0, c0, g0, s1, c1, g1) = table + t6:
 *     x += g0 * attn1(LN(x) (1 + c0) + s0)               keys/values downsampled (ToDo) or merged (ToMe)
 *     x += attn2(x, ctx)                                 a padded caption token's scores - 10000
 *     x += g1 * FF(LN(x) (1 + c1) + s1)
 *   out  = unpatchify(proj_out(LN(x) (1 + scale) + shift)),  (shift, scale) = table_out + temb
 * </pre>
 */
public final class ReferencePixArt {
    /** Sizes the reference needs (a config's, spelt out so that it does not depend on the graph's code). */
    public record Shape(int heads, int dim, int patch, int inChannels, int outChannels, int layers, int sampleSize,
            double interpolationScale, double eps, boolean additionalConditions) {}

    /** Pixels per latent cell: the size conditions are the image's sides in pixels. */
    private static final int VAE_FACTOR = 8;
    /** diffusers' bias on the scores of a masked caption token: (1 - mask) x -10000. */
    private static final double PAD_BIAS = -10000;

    private final Shape s;
    private final DitMath w;

    public ReferencePixArt(Shape shape, Map<String, HostTensor> weights) {
        this.s = shape;
        this.w = new DitMath(weights);
    }

    /** As below with every caption token attended to. */
    public double[][][] forward(double[][][] latents, double t, double[][] caption, BlockMethod method,
            IntPredicate patched, int imageIndex, int batch) {
        return forward(latents, t, caption, null, method, patched, imageIndex, batch);
    }

    /**
     * @param latents [C][H][W] of one image
     * @param t the timestep
     * @param caption [L][caption channels]
     * @param captionMask [L], 1 for a token that counts and 0 for padding; null: all count
     * @return the prediction [out channels][H][W]
     */
    public double[][][] forward(double[][][] latents, double t, double[][] caption, long[] captionMask, BlockMethod method,
            IntPredicate patched, int imageIndex, int batch) {
        int p = s.patch(), h = latents[0].length, wd = latents[0][0].length, gh = h / p, gw = wd / p, d = s.dim();
        double[][] x = w.linear(DitMath.patches(latents, p), "pos_embed.proj");
        double[][] pe = positions(gh, gw);
        for (int i = 0; i < x.length; i++) for (int k = 0; k < d; k++) x[i][k] += pe[i][k];
        double[] temb = timestepEmbedding(t);
        if (s.additionalConditions()) temb = plus(temb, sizeEmbedding(h * VAE_FACTOR, wd * VAE_FACTOR));
        double[] keyBias = new double[caption.length];
        for (int j = 0; captionMask != null && j < keyBias.length; j++) keyBias[j] = (1 - captionMask[j]) * PAD_BIAS;
        double[] t6 = w.linear(DitMath.silu(temb), "adaln_single.linear");
        double[][] ctx = w.linear(DitMath.geluTanh(w.linear(caption, "caption_projection.linear_1")), "caption_projection.linear_2");
        for (int i = 0; i < s.layers(); i++) {
            String prefix = "transformer_blocks." + i;
            double[][] m = modulation(w.vector(prefix + ".scale_shift_table"), t6, 6);
            BlockMethod here = patched.test(i) ? method : BlockMethod.unpatched(Kernel.MATMUL);
            double[][] n = DitMath.modulate(layerNorm(x), m[0], m[1]);
            ReferenceLayer attn1 = (q, kv) -> new double[][][] {attend(prefix + ".attn1", q.values(), kv.values())};
            x = DitMath.addGated(x, here.selfAttention(attn1, x, n, gh, gw, imageIndex, batch)[0], m[2]);
            x = DitMath.addGated(x, attend(prefix + ".attn2", x, ctx, keyBias), null);
            double[][] f = w.linear(DitMath.geluTanh(w.linear(DitMath.modulate(layerNorm(x), m[3], m[4]), prefix + ".ff.net.0.proj")),
                    prefix + ".ff.net.2");
            x = DitMath.addGated(x, f, m[5]);
        }
        double[][] out = modulation(w.vector("scale_shift_table"), temb, 2);
        double[][] z = w.linear(DitMath.modulate(layerNorm(x), out[0], out[1]), "proj_out");
        return DitMath.image(z, gh, gw, p, s.outChannels());
    }

    private double[][] attend(String prefix, double[][] queriesFrom, double[][] kvFrom) {
        return attend(prefix, queriesFrom, kvFrom, null);
    }

    /** to_out(softmax(q k^T / sqrt(d) + keyBias) v); keyBias [keys] or null. */
    private double[][] attend(String prefix, double[][] queriesFrom, double[][] kvFrom, double[] keyBias) {
        double[][] q = w.linear(queriesFrom, prefix + ".to_q");
        double[][] k = w.linear(kvFrom, prefix + ".to_k");
        double[][] v = w.linear(kvFrom, prefix + ".to_v");
        return w.linear(ReferenceAttention.attention(q, k, v, s.heads(), keyBias), prefix + ".to_out.0");
    }

    private double[] timestepEmbedding(double t) {
        return embedder("adaln_single.emb.timestep_embedder", t);
    }

    /** L2(SiLU(L1(sinusoid(value)))) of the embedder at {@code prefix}. */
    private double[] embedder(String prefix, double value) {
        return w.linear(DitMath.silu(w.linear(DitMath.timestepSinusoid(value), prefix + ".linear_1")), prefix + ".linear_2");
    }

    /** The resolution's embeddings (height, then width, one embedder) and the aspect ratio's, side by side: [D]. */
    private double[] sizeEmbedding(int heightPx, int widthPx) {
        String res = "adaln_single.emb.resolution_embedder";
        double[][] parts = {embedder(res, heightPx), embedder(res, widthPx),
            embedder("adaln_single.emb.aspect_ratio_embedder", (double) heightPx / widthPx)};
        double[] out = new double[s.dim()];
        int at = 0;
        for (double[] part : parts) for (double v : part) out[at++] = v;
        if (at != out.length) throw new IllegalArgumentException("size embeddings of " + at + " channels for width " + out.length);
        return out;
    }

    private static double[] plus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
        return out;
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

    /** Coordinates index * base / grid / interpolation_scale, base = sample_size / patch. */
    private double[][] positions(int gh, int gw) {
        double base = (double) s.sampleSize() / s.patch();
        double[][] pe = new double[gh * gw][];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                pe[r * gw + c] = DitMath.sinCos(s.dim(), c * base / gw / s.interpolationScale(),
                        r * base / gh / s.interpolationScale());
            }
        }
        return pe;
    }

    private double[][] layerNorm(double[][] x) {
        return DitMath.layerNorm(x, s.eps());
    }
}
