package org.attnbench.models.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.reference.VariantParams;

/**
 * An attention method with its parameters, as users write it on the CLI and in YAML:
 * {@code dense}, {@code dense:slice=1024}, {@code dense:kernel=fused},
 * {@code todo:factor=2,method=nearest}, {@code tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0},
 * {@code tome-kv:ratio=0.5}. Every token-reduction method also takes the dense kernel keys
 * ({@code kernel}, {@code slice}), so a gain can be checked on top of a fast kernel.
 *
 * <p>A method is one class implementing this interface ({@link Dense}, {@link Todo}, {@link Tome}),
 * listed in {@link Methods}: its keys and their defaults, how it rewrites a transformer block,
 * where in a UNet and when in a denoising loop it applies, its float64 reference and its label.
 */
public interface VariantSpec {
    /** How the attention core itself is computed, whatever feeds it. */
    Kernel kernel();

    /** The canonical spelling, stable across runs (used in cell ids and reports). */
    String canonical();

    /** The method's name as users write it: dense, todo, tome, tome-kv. */
    String family();

    /** A short name for charts and tables: "ToDo f=2", "ToMe r=0.5 [fused]". */
    String label();

    /** The same math in the float64 reference; the kernel does not change the result. */
    VariantParams reference();

    /**
     * The method's rewrite of one transformer block whose input is x [B, h*w, C] on an h x w grid.
     * Called once per block, before the block's first norm, so a method can match tokens on x.
     */
    BlockRewrite rewrite(GraphBuilder g, Value x, int h, int w);

    /** Where a method's timestep schedule stands; methods without one are always PRIMARY. */
    enum Phase { PRIMARY, SECONDARY, OFF }

    /** The phase at timestep t (0..999). */
    default Phase phaseAt(double t) {
        return Phase.PRIMARY;
    }

    /**
     * The method that patches a UNet transformer block at {@code downsample} = ceil(sqrt(N0 / N))
     * (1 at full latent resolution, 2 one level down, ...) in {@code phase}: dense where it does not apply.
     */
    default VariantSpec atBlock(int downsample, Phase phase) {
        return this;
    }

    /**
     * Whether the method leaves tokens on an h x w latent grid: the single block's grid, or a UNet's
     * full-resolution level (then also the levels below it that the method patches).
     */
    default boolean fits(int h, int w, boolean unet) {
        return true;
    }

    /** The spec and, for a scheduled method, where its schedule stands, in one line. */
    default String describe(Phase phase) {
        return canonical();
    }

    /** The dense attention core: plain matmul-softmax-matmul, query slices, or a fused operator. */
    record Kernel(String name, int slice) {
        public static final Kernel MATMUL = new Kernel("matmul", 0);
        static final List<String> NAMES = List.of("fused", "matmul");

        public String suffix() {
            StringBuilder s = new StringBuilder();
            if (!name.equals("matmul")) s.append(",kernel=").append(name);
            if (slice > 0) s.append(",slice=").append(slice);
            return s.toString();
        }

        /** " [fused]", " [slice 512]" or nothing, for labels. */
        public String labelSuffix() {
            return (name.equals("matmul") ? "" : " [" + name + "]") + (slice > 0 ? " [slice " + slice + "]" : "");
        }
    }

    /** Parses a spec; every mistake is a {@link UserError} naming the key and the allowed values. */
    static VariantSpec parse(String spec) {
        String text = spec.trim();
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0 && colon < text.length() - 1) {
            for (String kv : text.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new UserError("variant '" + spec + "': '" + kv + "' is not key=value");
                params.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
            }
        }
        Methods.Method method = Methods.byName(name);
        if (method == null) {
            throw new UserError("unknown variant '" + name + "' in '" + spec + "': use " + String.join(", ", Methods.names()));
        }
        SpecParams p = new SpecParams(spec, params);
        Kernel kernel = new Kernel(p.choice("kernel", "matmul", Kernel.NAMES), p.positiveInt("slice", 0, true));
        if (kernel.name().equals("fused") && kernel.slice() > 0) {
            throw new UserError("variant '" + spec + "': slice applies to kernel=matmul only (fused has its own tiling)");
        }
        VariantSpec v = method.parser().parse(p, kernel);
        p.rejectUnused();
        return v;
    }

    /** "kernel=fused" style suffixes as the part after a colon. */
    static String colon(String suffix) {
        return suffix.isEmpty() ? "" : ":" + suffix.substring(1);
    }

    /** A number as the spec writes it, without a trailing ".0": 0.5, 2, 0. */
    static String number(double x) {
        String s = String.valueOf(x);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
