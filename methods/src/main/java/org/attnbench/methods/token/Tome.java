package org.attnbench.methods.token;

import java.util.List;
import java.util.function.UnaryOperator;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.methods.MethodPatch;
import org.attnbench.methods.Methods;
import org.attnbench.methods.PaperClaim;
import org.attnbench.methods.SpecParams;
import org.attnbench.methods.TokenMethod;
import org.attnbench.models.attention.AttentionLayer;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.BlockRewrite;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.attention.Tokens;
import org.attnbench.models.reference.ReferenceLayer;
import org.attnbench.models.reference.ReferenceTokens;

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
 *
 * <p>The graph's merge is {@link TokenMerge}; the float64 twin's {@link ReferenceTokenMerge} and
 * {@link MergePlan}, written from tomesd's definition.
 */
public record Tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly, Kernel kernel,
        int maxDownsample, boolean mergeAttn, boolean mergeCrossattn, boolean mergeMlp) implements TokenMethod, BlockMethod {
    /** Bolya and Hoffman, "Token Merging for Fast Stable Diffusion" (2023). */
    public static final String PAPER = "ToMe for SD (Bolya & Hoffman 2023)";
    public static final Methods.Entry METHOD = new Methods.Entry("tome", "ToMe", p -> parse(p, false), Tome.class,
            List.of(new PaperClaim("ToMe at 512 px, ratio 0.5", PAPER, "1.87×", 1.87, "RTX 4090, fp16, SD 1.5, 50 PLMS steps",
                    512, 512, "ratio", 0.5, new PaperClaim.Timed("sd15", "SD 1.5", "matmul",
                            "the original model's attention (no xformers)", "cuda", "float16"))));
    public static final Methods.Entry KV_METHOD =
            new Methods.Entry("tome-kv", "ToMe-KV", p -> parse(p, true), Tome.class, List.of());

    public Tome {
        if (sx < 1 || sy < 1) throw new IllegalArgumentException("ToMe cell size must be >= 1, got sx=" + sx + ", sy=" + sy);
        if (!(ratio >= 0.0) || ratio > maxRatio(sx, sy) + 1e-12) {
            throw new IllegalArgumentException(String.format("ToMe ratio %s is outside [0, %s]: with sx=%d, sy=%d only"
                    + " sx*sy-1 of every sx*sy tokens can merge, so the cap is 1 - 1/(sx*sy)", ratio, maxRatio(sx, sy), sx, sy));
        }
    }

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

    public Tome withKernel(Kernel k) {
        return new Tome(ratio, sx, sy, useRand, seed, kvOnly, k, maxDownsample, mergeAttn, mergeCrossattn, mergeMlp);
    }

    /** The blocks with downsample up to {@code max_downsample}; the network's own below. */
    public TokenPatch patch() {
        return MethodPatch.upTo(this, this, maxDownsample, canonical() + " (blocks with downsample <= " + maxDownsample + ")");
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
        if (m == null) return BlockMethod.unpatched(kernel).rewrite(g, x, h, w); // nothing merges: exactly dense
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

    /**
     * The twin: the plan from x (tome-kv: from n) on the batch's partition; attn1 on the merged
     * tokens, unmerged after (tome-kv: only the keys and values merged). Anything per token
     * (positions) merges as the tokens do. r = 0 (ratio 0, a small grid) is the dense path, as
     * tomesd's identity merge functions are.
     */
    public double[][][] selfAttention(ReferenceLayer attn1, double[][] x, double[][] n, int h, int w, int image, int batch) {
        TokenPartition partition = ReferenceTokenMerge.partition(batch, h, w, this);
        if (partition.mergeCount(ratio) == 0 || (!kvOnly && !mergeAttn)) {
            return attn1.attend(ReferenceTokens.all(n), ReferenceTokens.all(n));
        }
        MergePlan plan = ReferenceTokenMerge.plan(kvOnly ? n : x, partition, ratio);
        if (kvOnly) return attn1.attend(ReferenceTokens.all(n), new ReferenceTokens(plan.merge(n), plan::merge));
        ReferenceTokens merged = new ReferenceTokens(plan.merge(n), plan::merge);
        double[][][] out = attn1.attend(merged, merged);
        out[0] = plan.unmerge(out[0]);
        return out;
    }

    /** The largest ratio the partition allows: one destination per sx x sy cell. */
    public double maxRatio() {
        return maxRatio(sx, sy);
    }

    static double maxRatio(int sx, int sy) {
        return 1.0 - 1.0 / (sx * sy);
    }

    private static Tome parse(SpecParams p, boolean kvOnly) {
        Kernel kernel = p.kernel();
        double ratio = p.fraction("ratio", 0.5);
        int sx = p.positiveInt("sx", 2, false);
        int sy = p.positiveInt("sy", 2, false);
        int maxDownsample = Integer.parseInt(p.choice("max_downsample", "1", List.of("1", "2", "4", "8")));
        if (ratio > maxRatio(sx, sy) + 1e-12) {
            throw new UserError("variant '" + p.spec() + "': ratio " + ratio + " exceeds the cap 1 - 1/(sx*sy) = "
                    + maxRatio(sx, sy) + " (one destination per " + sx + "x" + sy + " cell); lower the ratio or raise sx, sy");
        }
        return new Tome(ratio, sx, sy, p.bool("use_rand", true), p.longValue("seed", 0), kvOnly, kernel,
                maxDownsample, p.bool("merge_attn", true), p.bool("merge_crossattn", false), p.bool("merge_mlp", false));
    }
}
