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
     * The UNet keys are the reference code's ({@code patch_attention_proc}'s arguments, short names
     * here): {@code factor_level_2} ({@code downsample_factor_level_2}, 1 = off), {@code switch} and
     * {@code stop} ({@code timestep_threshold_switch} / {@code _stop}, on the 0..1 scale: the primary
     * method above switch, the secondary below it, nothing at or below stop), and the secondary
     * similarity merge's {@code ratio} (level 1), {@code ratio_level_2}, {@code sx}, {@code sy},
     * {@code use_rand} and {@code seed}. The single attention block uses only {@code factor},
     * {@code method} and the kernel.
     */
    record Todo(int factor, DownsampleMethod method, Kernel kernel, int factorLevel2, double switchAt, double stopAt,
                Secondary secondary) implements VariantSpec {
        public static final double DEFAULT_SWITCH = 0.2;

        public Todo(int factor, DownsampleMethod method, Kernel kernel) {
            this(factor, method, kernel, 1, DEFAULT_SWITCH, 0.0, Secondary.DEFAULT);
        }

        public String canonical() {
            StringBuilder s = new StringBuilder("todo:factor=" + factor + ",method=" + method.specName());
            if (factorLevel2 != 1) s.append(",factor_level_2=").append(factorLevel2);
            if (switchAt != DEFAULT_SWITCH) s.append(",switch=").append(switchAt);
            if (stopAt != 0.0) s.append(",stop=").append(stopAt);
            return s + secondary.suffix() + kernel.suffix();
        }

        /** ToDo's primary method at another factor, with the same method and kernel (level 2). */
        public Todo withFactor(int f) {
            return new Todo(f, method, kernel, 1, switchAt, stopAt, secondary);
        }

        /** The secondary method at a level's ratio: tome-kv, matched on attn1's input. */
        public Tome secondaryAt(double levelRatio) {
            return new Tome(levelRatio, secondary.sx(), secondary.sy(), secondary.useRand(), secondary.seed(), true, kernel);
        }
    }

    /**
     * ToDo's secondary method ({@code secondary_merge_method} "similarity"): a ToMe merge of attn1's
     * key/value source, {@code ratio} at level 1 and {@code ratioLevel2} at level 2, with tomesd's
     * partition keys. Defaults are the reference code's: 0.5, 0.5, 2, 2, use_rand on.
     */
    record Secondary(double ratio, double ratioLevel2, int sx, int sy, boolean useRand, long seed) {
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
        Secondary d = Secondary.DEFAULT;
        Secondary secondary = new Secondary(p.fraction("ratio", d.ratio()), p.fraction("ratio_level_2", d.ratioLevel2()),
                p.positiveInt("sx", d.sx(), false), p.positiveInt("sy", d.sy(), false), p.bool("use_rand", d.useRand()),
                p.longValue("seed", d.seed()));
        double cap = 1.0 - 1.0 / (secondary.sx() * secondary.sy());
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
