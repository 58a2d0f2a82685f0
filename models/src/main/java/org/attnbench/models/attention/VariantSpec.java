package org.attnbench.models.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;

/**
 * An attention variant as users write it, on the CLI and in YAML:
 * {@code dense}, {@code dense:slice=1024}, {@code dense:kernel=fused},
 * {@code todo:factor=2,method=nearest}, {@code tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0},
 * {@code tome-kv:ratio=0.5}. Every token-reduction variant also takes the dense kernel keys
 * ({@code kernel}, {@code slice}), so a gain can be checked on top of a fast kernel.
 */
public sealed interface VariantSpec {
    /** How the attention core itself is computed, whatever feeds it. */
    Kernel kernel();

    /** The canonical spelling, stable across runs (used in cell ids and reports). */
    String canonical();

    /** The dense attention core: plain matmul-softmax-matmul, query slices, or a fused operator. */
    record Kernel(String name, int slice) {
        public static final Kernel MATMUL = new Kernel("matmul", 0);

        public String suffix() {
            StringBuilder s = new StringBuilder();
            if (!name.equals("matmul")) s.append(",kernel=").append(name);
            if (slice > 0) s.append(",slice=").append(slice);
            return s.toString();
        }
    }

    record Dense(Kernel kernel) implements VariantSpec {
        public String canonical() { return "dense" + colon(kernel.suffix()); }
    }

    /** ToDo: keys and values from the hidden states downsampled on the latent grid by {@code factor}. */
    record Todo(int factor, DownsampleMethod method, Kernel kernel) implements VariantSpec {
        public String canonical() { return "todo:factor=" + factor + ",method=" + method.specName() + kernel.suffix(); }
    }

    /**
     * ToMe: bipartite soft matching on the block input; {@code kvOnly} merges only the key/value
     * source (ToDo's secondary method), otherwise tokens are merged before attention and unmerged after.
     */
    record Tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly, Kernel kernel)
            implements VariantSpec {
        public String canonical() {
            return (kvOnly ? "tome-kv" : "tome") + ":ratio=" + ratio + ",sx=" + sx + ",sy=" + sy
                    + ",use_rand=" + useRand + ",seed=" + seed + kernel.suffix();
        }

        /** The largest ratio the partition allows: one destination per sx x sy cell. */
        public double maxRatio() { return 1.0 - 1.0 / (sx * sy); }
    }

    static String colon(String suffix) {
        return suffix.isEmpty() ? "" : ":" + suffix.substring(1);
    }

    Set<String> KERNELS = Set.of("matmul", "fused");

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
        SpecParams p = new SpecParams(spec, params);
        Kernel kernel = new Kernel(p.choice("kernel", "matmul", List.copyOf(new java.util.TreeSet<>(KERNELS))),
                p.positiveInt("slice", 0, true));
        if (kernel.name().equals("fused") && kernel.slice() > 0) {
            throw new UserError("variant '" + spec + "': slice applies to kernel=matmul only (fused has its own tiling)");
        }
        VariantSpec v = switch (name) {
            case "dense" -> new Dense(kernel);
            case "todo" -> new Todo(p.positiveInt("factor", 2, false), method(p), kernel);
            case "tome", "tome-kv" -> tome(p, name.equals("tome-kv"), kernel);
            default -> throw new UserError("unknown variant '" + name + "' in '" + spec
                    + "': use dense, todo, tome or tome-kv");
        };
        p.rejectUnused();
        return v;
    }

    private static DownsampleMethod method(SpecParams p) {
        String name = p.string("method", DownsampleMethod.NEAREST_EXACT.specName());
        try {
            return DownsampleMethod.fromSpecName(name);
        } catch (IllegalArgumentException e) {
            throw new UserError("variant '" + p.spec() + "': unknown method '" + name + "'; use one of "
                    + String.join(", ", java.util.Arrays.stream(DownsampleMethod.values()).map(DownsampleMethod::specName).toList()));
        }
    }

    private static Tome tome(SpecParams p, boolean kvOnly, Kernel kernel) {
        double ratio = p.fraction("ratio", 0.5);
        int sx = p.positiveInt("sx", 2, false);
        int sy = p.positiveInt("sy", 2, false);
        Tome t = new Tome(ratio, sx, sy, p.bool("use_rand", true), p.longValue("seed", 0), kvOnly, kernel);
        if (ratio > t.maxRatio() + 1e-12) {
            throw new UserError("variant '" + p.spec() + "': ratio " + ratio + " exceeds the cap 1 - 1/(sx*sy) = "
                    + t.maxRatio() + " (one destination per " + sx + "x" + sy + " cell); lower the ratio or raise sx, sy");
        }
        return t;
    }
}
