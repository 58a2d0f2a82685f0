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

    /**
     * ToDo: keys and values from the hidden states downsampled on the latent grid by {@code factor}.
     * The UNet keys follow the reference code: {@code factor_level_2} (level-2 factor, 1 = off),
     * {@code switch} and {@code stop} (timestep thresholds on the 0..1 scale: primary method above
     * switch, the secondary tome-kv with {@code secondary_ratio} below it, nothing at or below stop).
     * The single attention block uses only {@code factor}, {@code method} and the kernel.
     */
    record Todo(int factor, DownsampleMethod method, Kernel kernel, int factorLevel2, double switchAt, double stopAt,
                double secondaryRatio) implements VariantSpec {
        public static final double DEFAULT_SWITCH = 0.2;
        public static final double DEFAULT_SECONDARY_RATIO = 0.5;

        public Todo(int factor, DownsampleMethod method, Kernel kernel) {
            this(factor, method, kernel, 1, DEFAULT_SWITCH, 0.0, DEFAULT_SECONDARY_RATIO);
        }

        public String canonical() {
            StringBuilder s = new StringBuilder("todo:factor=" + factor + ",method=" + method.specName());
            if (factorLevel2 != 1) s.append(",factor_level_2=").append(factorLevel2);
            if (switchAt != DEFAULT_SWITCH) s.append(",switch=").append(switchAt);
            if (stopAt != 0.0) s.append(",stop=").append(stopAt);
            if (secondaryRatio != DEFAULT_SECONDARY_RATIO) s.append(",secondary_ratio=").append(secondaryRatio);
            return s + kernel.suffix();
        }
    }

    /**
     * ToMe: bipartite soft matching on the block input; {@code kvOnly} merges only the key/value
     * source (ToDo's secondary method), otherwise tokens are merged before attention and unmerged after.
     */
    record Tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly, Kernel kernel,
                int maxDownsample, boolean mergeAttn, boolean mergeCrossattn, boolean mergeMlp) implements VariantSpec {
        /**
         * tomesd's defaults for the UNet keys: only the full-resolution level ({@code max_downsample}
         * 1), only self-attention merged. The single attention block ignores these keys.
         */
        public Tome(double ratio, int sx, int sy, boolean useRand, long seed, boolean kvOnly, Kernel kernel) {
            this(ratio, sx, sy, useRand, seed, kvOnly, kernel, 1, true, false, false);
        }

        public String canonical() {
            StringBuilder s = new StringBuilder((kvOnly ? "tome-kv" : "tome") + ":ratio=" + ratio + ",sx=" + sx
                    + ",sy=" + sy + ",use_rand=" + useRand + ",seed=" + seed);
            if (maxDownsample != 1) s.append(",max_downsample=").append(maxDownsample);
            if (!mergeAttn) s.append(",merge_attn=false");
            if (mergeCrossattn) s.append(",merge_crossattn=true");
            if (mergeMlp) s.append(",merge_mlp=true");
            return s + kernel.suffix();
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
            case "todo" -> todo(p, kernel);
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

    private static Todo todo(SpecParams p, Kernel kernel) {
        int factor = p.positiveInt("factor", 2, false);
        DownsampleMethod method = method(p);
        int factorLevel2 = p.positiveInt("factor_level_2", 1, false);
        double switchAt = p.fraction("switch", Todo.DEFAULT_SWITCH);
        double stopAt = p.fraction("stop", 0.0);
        if (stopAt > switchAt) {
            throw new UserError("variant '" + p.spec() + "': stop=" + stopAt + " is above switch=" + switchAt
                    + "; the schedule needs stop <= switch");
        }
        double secondaryRatio = p.fraction("secondary_ratio", Todo.DEFAULT_SECONDARY_RATIO);
        if (secondaryRatio > 0.75) {
            throw new UserError("variant '" + p.spec() + "': secondary_ratio " + secondaryRatio + " exceeds the cap "
                    + "0.75 of the secondary tome-kv (one destination per 2x2 cell)");
        }
        return new Todo(factor, method, kernel, factorLevel2, switchAt, stopAt, secondaryRatio);
    }

    private static Tome tome(SpecParams p, boolean kvOnly, Kernel kernel) {
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
