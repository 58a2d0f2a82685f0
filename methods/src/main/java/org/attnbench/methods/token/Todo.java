package org.attnbench.methods.token;

import java.util.Arrays;
import java.util.List;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.methods.MethodPatch;
import org.attnbench.methods.Methods;
import org.attnbench.methods.PaperClaim;
import org.attnbench.methods.SpecParams;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.BlockRewrite;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.attention.Tokens;
import org.attnbench.models.reference.ReferenceLayer;
import org.attnbench.models.reference.ReferenceTokens;

/**
 * ToDo (token downsampling, arXiv 2402.13573): attn1's keys and values come from its normalized
 * input downsampled on the latent grid by {@code factor}; queries stay at full resolution.
 *
 * <p>In a UNet it follows the reference code's {@code patch_attention_proc} (its arguments, short
 * names here), attn1 only, by the phase of the timestep t:
 * <ul>
 *   <li>primary, t/1000 > {@code switch} ({@code timestep_threshold_switch}): keys and values
 *       downsampled, at downsample 1 by {@code factor} and at 2 by {@code factor_level_2}
 *       ({@code downsample_factor_level_2}) when it is above 1;</li>
 *   <li>secondary, {@code stop} < t/1000 <= {@code switch}: the key/value source merged ToMe-style
 *       ({@code secondary_merge_method} "similarity", {@link Tome} with kvOnly), matched on attn1's
 *       own input norm1(x), at downsample 1 with {@code ratio} and at 2 with {@code ratio_level_2}.
 *       The reference runs the level-2 merge whatever {@code factor_level_2} is: its level-2 branch
 *       only gates the downsampling on the factor;</li>
 *   <li>off, t/1000 <= {@code stop} ({@code timestep_threshold_stop}): dense.</li>
 * </ul>
 * The reference names the level by attn1's width (320 and 640, SD 1.x/2.x); the token count names
 * the same blocks there and also fits other widths. The single attention block uses only
 * {@code factor}, {@code method} and the kernel.
 *
 * <p>As a {@link BlockMethod} this record is the primary phase's block at its factor: the graph's
 * keys and values downsampled by {@link TodoDownsample}, the float64 twin's by {@link
 * ReferenceDownsample}; each phase of the schedule is one {@link TokenPatch} ({@link #patchAt}).
 */
public record Todo(int factor, DownsampleMethod method, Kernel kernel, int factorLevel2, double switchAt, double stopAt,
        Secondary secondary) implements TokenMethod, BlockMethod {
    /** Smith, Saxena and Saha, "ToDo: Token Downsampling for Efficient Generation of High-Resolution Images" (2024). */
    public static final String PAPER = "ToDo (arXiv 2402.13573)";
    private static final String PAPER_CONDITIONS = "RTX A6000, fp16, flash attention, whole image generation";
    /** Whole DreamShaper v7 (an SD 1.5 fine-tune) images over flash attention on a GPU in fp16. */
    private static final PaperClaim.Timed PAPER_TIMED = new PaperClaim.Timed("sd15", "SD 1.5 (DreamShaper v7)", "fused",
            "flash attention", "cuda", "float16");
    public static final Methods.Entry METHOD = new Methods.Entry("todo", "ToDo", Todo::parse, Todo.class, List.of(
            new PaperClaim("ToDo at common sizes (up to 1024 px)", PAPER, "up to 2×", 2.0, PAPER_CONDITIONS, 0, 1024, null,
                    Double.NaN, PAPER_TIMED),
            new PaperClaim("ToDo at 2048 px", PAPER, "4.5× or more", 4.5, PAPER_CONDITIONS, 2048, 2048, null, Double.NaN,
                    PAPER_TIMED)));
    public static final double DEFAULT_SWITCH = 0.2;

    /** Where ToDo's timestep schedule stands: downsampling, the similarity merge, or nothing. */
    public enum Phase { PRIMARY, SECONDARY, OFF }

    public Todo {
        if (factor < 1) throw new IllegalArgumentException("ToDo factor must be >= 1, got " + factor);
        if (method == null) throw new IllegalArgumentException("ToDo downsample method is required");
    }

    public Todo(int factor, DownsampleMethod method, Kernel kernel) {
        this(factor, method, kernel, 1, DEFAULT_SWITCH, 0.0, Secondary.DEFAULT);
    }

    /**
     * The secondary method's keys: tomesd's partition and a ratio per level. Defaults are the
     * reference code's: 0.5, 0.5, 2, 2, use_rand on.
     */
    public record Secondary(double ratio, double ratioLevel2, int sx, int sy, boolean useRand, long seed) {
        public static final Secondary DEFAULT = new Secondary(0.5, 0.5, 2, 2, true, 0);

        String suffix() {
            StringBuilder s = new StringBuilder();
            if (ratio != DEFAULT.ratio) s.append(",ratio=").append(ratio);
            if (ratioLevel2 != DEFAULT.ratioLevel2) s.append(",ratio_level_2=").append(ratioLevel2);
            if (sx != DEFAULT.sx) s.append(",sx=").append(sx);
            if (sy != DEFAULT.sy) s.append(",sy=").append(sy);
            if (useRand != DEFAULT.useRand) s.append(",use_rand=").append(useRand);
            if (seed != DEFAULT.seed) s.append(",seed=").append(seed);
            return s.toString();
        }
    }

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        StringBuilder s = new StringBuilder("todo:factor=" + factor + ",method=" + method.specName());
        if (factorLevel2 != 1) s.append(",factor_level_2=").append(factorLevel2);
        if (switchAt != DEFAULT_SWITCH) s.append(",switch=").append(switchAt);
        if (stopAt != 0.0) s.append(",stop=").append(stopAt);
        return s + secondary.suffix() + kernel.suffix();
    }

    /** "ToDo f=2", with the method and a schedule other than the reference's ("switch 0": downsampling at every step). */
    public String label() {
        return "ToDo f=" + factor + (method == DownsampleMethod.NEAREST_EXACT ? "" : " " + method.specName())
                + (switchAt == DEFAULT_SWITCH ? "" : " switch " + Variant.number(switchAt)) + kernel.labelSuffix();
    }

    public Todo withKernel(Kernel k) {
        return new Todo(factor, method, k, factorLevel2, switchAt, stopAt, secondary);
    }

    /** attn1's keys and values from the normalized tokens downsampled on the grid; queries stay all N. */
    public BlockRewrite rewrite(GraphBuilder g, Value x, int h, int w) {
        if (factor == 1) return BlockMethod.unpatched(kernel).rewrite(g, x, h, w); // nothing is downsampled: exactly dense
        return (attn1, n, heads) -> attn1.attention(Tokens.all(n), new Tokens(TodoDownsample.apply(g, n, h, w, factor, method),
                t -> TodoDownsample.positions(g, t, h, w, factor, method)), heads, kernel);
    }

    /** The twin: the same downsampling of n, and of anything per token (positions) as {@link TodoDownsample#positions}. */
    public double[][][] selfAttention(ReferenceLayer attn1, double[][] x, double[][] n, int h, int w, int image, int batch) {
        DownsampleMethod positionsBy = method == DownsampleMethod.MAX_POOL ? DownsampleMethod.AVG_POOL : method;
        return attn1.attend(ReferenceTokens.all(n), new ReferenceTokens(ReferenceDownsample.apply(n, h, w, factor, method),
                t -> ReferenceDownsample.apply(t, h, w, factor, positionsBy)));
    }

    /** The primary phase: where the schedule starts, and what the single attention block runs. */
    public TokenPatch patch() {
        return patchAt(Double.POSITIVE_INFINITY);
    }

    /** The phase at timestep t as the graphs hold it; each phase is a graph of its own. */
    public TokenPatch patchAt(double t) {
        Phase phase = phaseAt(t);
        return new MethodPatch(this, phase == Phase.PRIMARY ? null : phase.name().toLowerCase(java.util.Locale.ROOT),
                describe(phase), d -> atBlock(d, phase));
    }

    public Phase phaseAt(double t) {
        double x = t / 1000.0;
        return x > switchAt ? Phase.PRIMARY : x > stopAt ? Phase.SECONDARY : Phase.OFF;
    }

    /** The block method at {@code downsample} in {@code phase}: the network's own where ToDo does not act. */
    BlockMethod atBlock(int downsample, Phase phase) {
        BlockMethod dense = BlockMethod.unpatched(kernel);
        return switch (phase) {
            case PRIMARY -> downsample == 1 ? this : downsample == 2 && factorLevel2 > 1 ? withFactor(factorLevel2) : dense;
            case SECONDARY -> downsample == 1 ? secondaryAt(secondary.ratio())
                    : downsample == 2 ? secondaryAt(secondary.ratioLevel2()) : dense;
            case OFF -> dense;
        };
    }

    public boolean fits(int h, int w, boolean levels) {
        int side = Math.min(h, w);
        return side / factor >= 1 && (!levels || side / 2 / factorLevel2 >= 1);
    }

    String describe(Phase phase) {
        String now = switch (phase) {
            case PRIMARY -> "downsampling: level 1 factor " + factor + ", level 2 "
                    + (factorLevel2 > 1 ? "factor " + factorLevel2 : "dense");
            case SECONDARY -> "similarity merge of keys/values: level 1 ratio " + secondary.ratio() + ", level 2 ratio "
                    + secondary.ratioLevel2();
            case OFF -> "dense";
        };
        return canonical() + " [" + now + "; schedule: secondary for t/1000 <= " + switchAt + ", dense for t/1000 <= "
                + stopAt + "]";
    }

    /** The primary method at another factor, with the same method and kernel (level 2). */
    Todo withFactor(int f) {
        return new Todo(f, method, kernel, 1, switchAt, stopAt, secondary);
    }

    /** The secondary method at a level's ratio: tome-kv, matched on attn1's input. */
    Tome secondaryAt(double levelRatio) {
        return new Tome(levelRatio, secondary.sx(), secondary.sy(), secondary.useRand(), secondary.seed(), true, kernel);
    }

    private static Todo parse(SpecParams p) {
        Kernel kernel = p.kernel();
        int factor = p.positiveInt("factor", 2, false);
        DownsampleMethod method = method(p);
        int factorLevel2 = p.positiveInt("factor_level_2", 1, false);
        double switchAt = p.fraction("switch", DEFAULT_SWITCH);
        double stopAt = p.fraction("stop", 0.0);
        if (stopAt > switchAt) {
            throw new UserError("variant '" + p.spec() + "': stop=" + stopAt + " is above switch=" + switchAt
                    + "; the schedule needs stop <= switch");
        }
        Secondary d = Secondary.DEFAULT;
        Secondary secondary = new Secondary(p.fraction("ratio", d.ratio()), p.fraction("ratio_level_2", d.ratioLevel2()),
                p.positiveInt("sx", d.sx(), false), p.positiveInt("sy", d.sy(), false), p.bool("use_rand", d.useRand()),
                p.longValue("seed", d.seed()));
        double cap = Tome.maxRatio(secondary.sx(), secondary.sy());
        for (String key : List.of("ratio", "ratio_level_2")) {
            double r = key.equals("ratio") ? secondary.ratio() : secondary.ratioLevel2();
            if (r > cap + 1e-12) {
                throw new UserError("variant '" + p.spec() + "': " + key + " " + r + " exceeds the cap 1 - 1/(sx*sy) = "
                        + cap + " of the secondary merge (one destination per " + secondary.sx() + "x" + secondary.sy()
                        + " cell); lower it or raise sx, sy");
            }
        }
        return new Todo(factor, method, kernel, factorLevel2, switchAt, stopAt, secondary);
    }

    private static DownsampleMethod method(SpecParams p) {
        String name = p.string("method", DownsampleMethod.NEAREST_EXACT.specName());
        try {
            return DownsampleMethod.fromSpecName(name);
        } catch (IllegalArgumentException e) {
            throw new UserError("variant '" + p.spec() + "': unknown method '" + name + "'; use one of "
                    + String.join(", ", Arrays.stream(DownsampleMethod.values()).map(DownsampleMethod::specName).toList()));
        }
    }
}
