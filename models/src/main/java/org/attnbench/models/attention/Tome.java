package org.attnbench.models.attention;

import java.util.List;
import java.util.function.UnaryOperator;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.reference.VariantParams;

/**
 * ToMe for SD (tomesd): bipartite soft matching on a random sx x sy partition of the grid merges
 * {@code ratio} of the tokens. The merge is computed once per transformer block from its input x
 * and wraps attn1 ({@code merge_attn}), attn2 ({@code merge_crossattn}) and the feed-forward
 * ({@code merge_mlp}): each runs on the merged tokens and is unmerged after. In a UNet it applies
 * to blocks with downsample <= {@code max_downsample}; tomesd's defaults merge only
 * self-attention at full latent resolution.
 *
 * <p>{@code tome-kv} ({@code kvOnly}) is ToDo's secondary method: only attn1's key/value source is
 * merged, matched on attn1's own input norm1(x); every query stays and nothing is unmerged.
 */
public record Tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly, Kernel kernel,
        int maxDownsample, boolean mergeAttn, boolean mergeCrossattn, boolean mergeMlp) implements VariantSpec {
    /** Bolya and Hoffman, "Token Merging for Fast Stable Diffusion" (2023). */
    public static final String PAPER = "ToMe for SD (Bolya & Hoffman 2023)";
    public static final Methods.Method METHOD = new Methods.Method("tome", "ToMe", (p, kernel) -> parse(p, kernel, false),
            List.of(new PaperClaim("ToMe at 512 px, ratio 0.5", PAPER, "1.87×", 1.87, "RTX 4090, fp16, SD 1.5, 50 PLMS steps",
                    512, 512, "ratio", 0.5, new PaperClaim.Timed("sd15", "SD 1.5", "matmul",
                            "the original model's attention (no xformers)", "cuda", "float16"))));
    public static final Methods.Method KV_METHOD =
            new Methods.Method("tome-kv", "ToMe-KV", (p, kernel) -> parse(p, kernel, true), List.of());

    /** tomesd's defaults for the UNet keys; of those, the single attention block reads only merge_attn. */
    public Tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly, Kernel kernel) {
        this(ratio, sx, sy, useRand, seed, kvOnly, kernel, 1, true, false, false);
    }

    public String family() {
        return (kvOnly ? KV_METHOD : METHOD).name();
    }

    public String canonical() {
        StringBuilder s = new StringBuilder(family() + ":ratio=" + ratio + ",sx=" + sx + ",sy=" + sy + ",use_rand="
                + useRand + ",seed=" + seed);
        if (maxDownsample != 1) s.append(",max_downsample=").append(maxDownsample);
        if (!mergeAttn) s.append(",merge_attn=false");
        if (mergeCrossattn) s.append(",merge_crossattn=true");
        if (mergeMlp) s.append(",merge_mlp=true");
        return s + kernel.suffix();
    }

    /** "ToMe r=0.5", with the partition when it is not 2x2. */
    public String label() {
        return (kvOnly ? KV_METHOD : METHOD).displayName() + " r=" + ratio + (sx == 2 && sy == 2 ? "" : " " + sx + "x" + sy)
                + kernel.labelSuffix();
    }

    public VariantParams reference() {
        return new VariantParams.TomeParams(ratio, sx, sy, useRand, seed, kvOnly);
    }

    public BlockRewrite rewrite(GraphBuilder g, Value x, int h, int w) {
        if (kvOnly) {
            return (attn1, n, heads) -> {
                TokenMerge m = TokenMerge.forBlock(g, n, h, w, this);
                Tokens kv = m == null ? Tokens.all(n) : new Tokens(m.merge(n), m::merge);
                return attn1.attention(Tokens.all(n), kv, heads, kernel);
            };
        }
        TokenMerge m = TokenMerge.forBlock(g, x, h, w, this);
        if (m == null) return new Dense(kernel).rewrite(g, x, h, w); // nothing merges: exactly dense
        return new BlockRewrite() {
            public Value selfAttention(AttentionLayer attn1, Value n, int heads) {
                if (!mergeAttn) return attn1.attention(Tokens.all(n), Tokens.all(n), heads, kernel);
                return m.around(n, t -> attn1.attention(new Tokens(t, m::merge), new Tokens(t, m::merge), heads, kernel));
            }

            public Value crossAttention(Value n, UnaryOperator<Value> attn2) {
                return mergeCrossattn ? m.around(n, attn2) : attn2.apply(n);
            }

            public Value feedForward(Value n, UnaryOperator<Value> ff) {
                return mergeMlp ? m.around(n, ff) : ff.apply(n);
            }
        };
    }

    public VariantSpec atBlock(int downsample, Phase phase) {
        return downsample <= maxDownsample ? this : new Dense(kernel);
    }

    public String describe(Phase phase) {
        return canonical() + " (blocks with downsample <= " + maxDownsample + ")";
    }

    /** The largest ratio the partition allows: one destination per sx x sy cell. */
    public double maxRatio() {
        return maxRatio(sx, sy);
    }

    static double maxRatio(int sx, int sy) {
        return 1.0 - 1.0 / (sx * sy);
    }

    private static Tome parse(SpecParams p, Kernel kernel, boolean kvOnly) {
        double ratio = p.fraction("ratio", 0.5);
        int sx = p.positiveInt("sx", 2, false);
        int sy = p.positiveInt("sy", 2, false);
        int maxDownsample = Integer.parseInt(p.choice("max_downsample", "1", List.of("1", "2", "4", "8")));
        Tome t = new Tome(ratio, sx, sy, p.bool("use_rand", true), p.longValue("seed", 0), kvOnly, kernel,
                maxDownsample, p.bool("merge_attn", true), p.bool("merge_crossattn", false), p.bool("merge_mlp", false));
        if (ratio > t.maxRatio() + 1e-12) {
            throw new UserError("variant '" + p.spec() + "': ratio " + ratio + " exceeds the cap 1 - 1/(sx*sy) = "
                    + t.maxRatio() + " (one destination per " + sx + "x" + sy + " cell); lower the ratio or raise sx, sy");
        }
        return t;
    }
}
