package org.attnbench.harness.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.harness.features.ExtractorSpec;
import org.attnbench.harness.features.FeatureExtractors;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.tensor.DType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a sweep config and checks it: YAML syntax, known keys, value types and ranges, backend,
 * device, dtype and variant names, and the combinations that cannot run (a ToDo factor that
 * leaves no grid, a resolution the UNet cannot take, an exclude rule that matches nothing).
 * Every problem found is reported together ({@link ConfigError}).
 */
public final class SweepConfigReader {
    static final Set<String> TOP = Set.of("name", "description", "backends", "devices", "dtypes", "workloads", "variants",
            "exclude", "timing", "fidelity", "gate", "ceilings", "seed", "out");
    static final Set<String> WORKLOAD_KINDS = Set.of("attention", "unet");
    static final Set<String> ATTENTION = Set.of("grids", "channels", "heads", "batch", "inputs");
    static final Set<String> UNET = Set.of("model", "weights", "resolutions", "steps", "scheduler", "guidance", "vae");
    static final Set<String> TIMING = Set.of("warmup", "iterations", "forks", "min_time_s", "jvm_args");
    static final Set<String> FIDELITY = Set.of("reference", "samples", "save_outputs", "extractor", "metrics");
    static final Set<String> EXTRACTOR = Set.of("name", "layer", "model", "output", "input_size", "value_range");
    static final Set<String> GATE = Set.of("speedup_factor", "p_value", "tolerances", "absolute_times");
    static final Set<String> GATE_METRICS = Set.of("mse", "max_abs", "cosine", "psnr_db", "hpf");
    static final List<String> INPUTS = List.of("gaussian", "photos");
    static final List<String> SCHEDULERS = List.of("ddim", "euler");
    static final List<DType> DTYPES = List.of(DType.FLOAT32, DType.FLOAT16);

    private final Problems problems;

    private SweepConfigReader(String where) {
        this.problems = new Problems(where);
    }

    /**
     * Reads and checks a config; {@code scale} multiplies every grid and resolution (rounded to
     * what the workload accepts), so a GPU-sized sweep can be scaled down for a CPU.
     */
    public static SweepConfig read(Path file, double scale) {
        return read(file, scale, List.of());
    }

    /**
     * As {@link #read(Path, double)}, with {@code --set PATH=VALUE} overrides applied
     * ({@link ConfigOverrides}). The file is checked as written first, so its problems point at
     * its own lines; problems the overrides bring are reported against "FILE (with --set)".
     */
    public static SweepConfig read(Path file, double scale, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UserError("config not found: " + file);
        } catch (IOException e) {
            throw new UserError("cannot read config " + file + ": " + e.getMessage());
        }
        SweepConfig written = parse(file, text, scale);
        if (overrides.isEmpty()) return written;
        return parse(file, file + " (with --set)", ConfigOverrides.apply(text, overrides), scale);
    }

    /** Reads a config from its text (e.g. the copy kept in a run's manifest). */
    public static SweepConfig parse(Path file, String text, double scale) {
        return parse(file, file.toString(), text, scale);
    }

    private static SweepConfig parse(Path file, String where, String text, double scale) {
        if (!(scale > 0 && scale <= 16)) throw new UserError("--scale must be in (0, 16], got " + scale);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported by ConfigNode with their position
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var m = e.getProblemMark();
            throw new UserError(where + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": YAML syntax error: "
                    + e.getProblem());
        } catch (YAMLException e) {
            throw new UserError(where + ": YAML syntax error: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) throw new UserError(where + ": the config is empty; see configs/README.md for the keys");
        SweepConfigReader r = new SweepConfigReader(where);
        SweepConfig config = r.config(file, text, new ConfigNode(root, "", r.problems), scale);
        r.problems.throwIfAny();
        return config;
    }

    private SweepConfig config(Path file, String text, ConfigNode root, double scale) {
        Map<String, ConfigNode> top = root.mapping(TOP).orElse(Map.of());
        String name = get(top, "name", ConfigNode::string).orElse(baseName(file));
        String description = get(top, "description", ConfigNode::string).orElse("");
        List<String> backends = list(top, "backends", this::backend, List.of("onnxruntime", "djl"));
        List<Device> devices = list(top, "devices", this::device, List.of(Device.CPU));
        List<DType> dtypes = list(top, "dtypes", this::dtype, List.of(DType.FLOAT32));
        List<Workload> workloads = new ArrayList<>();
        List<ConfigNode> workloadNodes = new ArrayList<>();
        if (!top.containsKey("workloads")) {
            root.problem("missing key 'workloads': give at least one attention or unet workload (see configs/README.md)");
        } else {
            for (ConfigNode n : top.get("workloads").list().orElse(List.of())) {
                workload(n, scale).ifPresent(w -> {
                    workloads.add(w);
                    workloadNodes.add(n);
                });
            }
        }
        List<ConfigNode> variantNodes = top.containsKey("variants") ? top.get("variants").list().orElse(List.of()) : List.of();
        if (!top.containsKey("variants")) root.problem("missing key 'variants': list the attention variants to compare");
        List<VariantSpec> variants = new ArrayList<>();
        List<ConfigNode> parsedVariantNodes = new ArrayList<>();
        for (ConfigNode n : variantNodes) {
            variant(n).ifPresent(v -> {
                variants.add(v);
                parsedVariantNodes.add(n);
            });
        }
        TimingSettings timing = top.containsKey("timing") ? timing(top.get("timing")) : TimingSettings.DEFAULT;
        FidelitySettings fidelity = top.containsKey("fidelity") ? fidelity(top.get("fidelity")) : FidelitySettings.DEFAULT;
        GateSettings gate = top.containsKey("gate") ? gate(top.get("gate")) : GateSettings.DEFAULT;
        boolean ceilings = get(top, "ceilings", ConfigNode::bool).orElse(true);
        long seed = get(top, "seed", n -> n.integer(0)).orElse(0);
        Path out = get(top, "out", ConfigNode::string).map(Path::of).orElse(Path.of("results", "runs"));
        List<Exclude> excludes = top.containsKey("exclude") ? excludes(top.get("exclude"), scale) : List.of();
        for (int w = 0; w < workloads.size(); w++) {
            for (int v = 0; v < variants.size(); v++) {
                fits(workloads.get(w), workloadNodes.get(w), variants.get(v), parsedVariantNodes.get(v), scale);
            }
        }
        if (fidelity.extractor() != null) {
            ConfigNode at = top.get("fidelity");
            if (workloads.stream().noneMatch(w -> w instanceof Workload.UNet u && u.vae() != null)) {
                at.problem("an extractor scores images: give a unet workload a 'vae' to decode them");
            }
            if (fidelity.samples() < 2) at.problem("FID-like scores need at least 2 samples; set 'samples'");
        }
        SweepConfig config = new SweepConfig(file, text, name, description, backends, devices, dtypes, workloads, variants,
                excludes, timing, fidelity, gate, ceilings, seed, out, scale);
        if (problems.isEmpty()) checkCells(config, top);
        return config;
    }

    private Optional<Workload> workload(ConfigNode n, double scale) {
        Map<String, ConfigNode> kinds = n.mapping(WORKLOAD_KINDS).orElse(null);
        if (kinds == null) return Optional.empty();
        if (kinds.size() != 1) {
            n.problem("each workload is exactly one of 'attention:' or 'unet:' with its settings under it");
            return Optional.empty();
        }
        var e = kinds.entrySet().iterator().next();
        return e.getKey().equals("attention") ? attention(e.getValue(), scale) : unet(e.getValue(), scale);
    }

    private Optional<Workload> attention(ConfigNode n, double scale) {
        Map<String, ConfigNode> m = n.mapping(ATTENTION).orElse(null);
        if (m == null) return Optional.empty();
        List<String> grids = list(m, "grids", g -> grid(g, scale), List.of("64x64"));
        int channels = get(m, "channels", c -> c.integer(1)).orElse(320);
        int heads = get(m, "heads", c -> c.integer(1)).orElse(8);
        int batch = get(m, "batch", c -> c.integer(1)).orElse(1);
        String inputs = get(m, "inputs", c -> choice(c, INPUTS)).orElse("gaussian");
        if (channels % heads != 0) {
            n.problem(channels + " channels do not split into " + heads + " heads; pick heads that divide channels "
                    + "(SD 1.5 level 1: 320 channels, 8 heads)");
        }
        return Optional.of(new Workload.Attention(grids, channels, heads, batch, inputs));
    }

    private Optional<Workload> unet(ConfigNode n, double scale) {
        Map<String, ConfigNode> m = n.mapping(UNET).orElse(null);
        if (m == null) return Optional.empty();
        if (!m.containsKey("model")) {
            n.problem("missing key 'model': one of " + String.join(", ", UNetConfig.BUNDLED) + " or a diffusers config.json");
            return Optional.empty();
        }
        ConfigNode modelNode = m.get("model");
        Optional<String> model = modelNode.string();
        Optional<UNetConfig> config = model.flatMap(name -> attempt(modelNode, () -> UNetConfig.load(name)));
        Path weights = get(m, "weights", ConfigNode::string).map(Path::of).orElse(null);
        if (weights != null && !Files.exists(weights)) {
            m.get("weights").problem("no such file or folder: " + weights + " (leave 'weights' out for seeded random weights)");
        }
        List<Integer> resolutions = new ArrayList<>();
        if (m.containsKey("resolutions")) {
            for (ConfigNode r : m.get("resolutions").list().orElse(List.of())) {
                r.integer(8).ifPresent(px -> {
                    config.ifPresent(c -> attempt(r, () -> UNetGraph.latentSize(c, Scale.resolution(c, px, scale))));
                    resolutions.add(px);
                });
            }
        } else {
            resolutions.add(config.map(c -> c.sampleSize() * UNetGraph.VAE_FACTOR).orElse(512));
        }
        int steps = get(m, "steps", s -> s.integer(1)).orElse(2);
        String scheduler = get(m, "scheduler", s -> choice(s, SCHEDULERS)).orElse("ddim");
        double guidance = get(m, "guidance", g -> g.number(0, 100)).orElse(7.5);
        Path vae = get(m, "vae", ConfigNode::string).map(Path::of).orElse(null);
        if (vae != null && config.isPresent()) {
            attempt(m.get("vae"), () -> {
                VaeConfig v = VaeConfig.read(vae);
                if (v.latentChannels() != config.get().outChannels()) {
                    throw new UserError("the VAE takes " + v.latentChannels() + " latent channels, " + config.get().name()
                            + " makes " + config.get().outChannels());
                }
                return v;
            });
        }
        if (model.isEmpty() || config.isEmpty()) return Optional.empty();
        if (config.get().inChannels() != config.get().outChannels()) {
            modelNode.problem(config.get().name() + " takes " + config.get().inChannels() + " channels and predicts "
                    + config.get().outChannels() + ": sampling needs them equal (inpainting UNets are not supported)");
        }
        return Optional.of(new Workload.UNet(model.get(), weights, resolutions, steps, scheduler, guidance, vae));
    }

    /** A grid as written (normalized to HxW), checked to stay a grid when scaled. */
    private Optional<String> grid(ConfigNode n, double scale) {
        return n.string().flatMap(g -> attempt(n, () -> {
            Scale.grid(g, scale);
            return Scale.grid(g, 1.0);
        }));
    }

    private Optional<VariantSpec> variant(ConfigNode n) {
        return n.string().flatMap(s -> attempt(n, () -> VariantSpec.parse(s)));
    }

    private Optional<String> backend(ConfigNode n) {
        List<String> names = Backends.all().stream().map(Backend::name).toList();
        return n.string().flatMap(b -> {
            if (names.contains(b)) return Optional.of(b);
            n.problem("unknown backend '" + b + "'" + Suggest.hint(b, names) + "; available: " + String.join(", ", names));
            return Optional.empty();
        });
    }

    private Optional<Device> device(ConfigNode n) {
        return n.string().flatMap(d -> attempt(n, () -> Device.parse(d)));
    }

    private Optional<DType> dtype(ConfigNode n) {
        return n.string().flatMap(d -> attempt(n, () -> {
            DType t;
            try {
                t = DType.parse(d);
            } catch (IllegalArgumentException e) {
                t = null;
            }
            if (t == null || !DTYPES.contains(t)) throw new UserError("dtype '" + d + "' is not a compute dtype: use float32 or float16");
            return t;
        }));
    }

    private TimingSettings timing(ConfigNode n) {
        Map<String, ConfigNode> m = n.mapping(TIMING).orElse(Map.of());
        TimingSettings d = TimingSettings.DEFAULT;
        return new TimingSettings(get(m, "warmup", x -> x.integer(0)).orElse(d.warmup()),
                get(m, "iterations", x -> x.integer(1)).orElse(d.iterations()),
                get(m, "forks", x -> x.integer(0)).orElse(d.forks()),
                get(m, "min_time_s", x -> x.number(0, 3600)).orElse(d.minTimeS()),
                list(m, "jvm_args", this::jvmArg, d.jvmArgs()));
    }

    private Optional<String> jvmArg(ConfigNode n) {
        return n.string().flatMap(a -> {
            if (a.startsWith("-")) return Optional.of(a);
            n.problem("'" + a + "' is not a JVM option (they start with '-', e.g. -Xmx16g)");
            return Optional.empty();
        });
    }

    private FidelitySettings fidelity(ConfigNode n) {
        Map<String, ConfigNode> m = n.mapping(FIDELITY).orElse(Map.of());
        FidelitySettings d = FidelitySettings.DEFAULT;
        String reference = get(m, "reference", this::variant).map(VariantSpec::canonical).orElse(d.reference());
        return new FidelitySettings(reference, get(m, "samples", x -> x.integer(1)).orElse(d.samples()),
                get(m, "save_outputs", ConfigNode::bool).orElse(d.saveOutputs()),
                m.containsKey("extractor") ? extractor(m.get("extractor")).orElse(null) : null,
                Set.copyOf(list(m, "metrics", x -> choice(x, FidelitySettings.METRICS), FidelitySettings.METRICS)));
    }

    /** {@code extractor: nsfwjs-inception-v3}, or a mapping with the extractor's settings. */
    private Optional<ExtractorSpec> extractor(ConfigNode n) {
        Map<String, ConfigNode> m;
        if (n.isScalar()) {
            m = Map.of("name", n);
        } else {
            m = n.mapping(EXTRACTOR).orElse(null);
            if (m == null) return Optional.empty();
        }
        Optional<String> name = get(m, "name", x -> choice(x, FeatureExtractors.NAMES));
        if (name.isEmpty()) {
            if (!m.containsKey("name")) n.problem("missing key 'name': " + String.join(" or ", FeatureExtractors.NAMES));
            return Optional.empty();
        }
        ExtractorSpec spec = new ExtractorSpec(name.get(), get(m, "layer", ConfigNode::string).orElse(null),
                get(m, "model", ConfigNode::string).map(Path::of).orElse(null), get(m, "output", ConfigNode::string).orElse(null),
                get(m, "input_size", x -> x.integer(1)).orElse(null), get(m, "value_range", ConfigNode::string).orElse(null),
                FeatureExtractors.DEFAULT_BATCH);
        return attempt(n, () -> {
            FeatureExtractors.check(spec);
            return spec;
        });
    }

    private GateSettings gate(ConfigNode n) {
        Map<String, ConfigNode> m = n.mapping(GATE).orElse(Map.of());
        GateSettings d = GateSettings.DEFAULT;
        double factor = get(m, "speedup_factor", x -> x.number(1.0001, 100)).orElse(d.factor());
        double alpha = get(m, "p_value", x -> x.number(1e-12, 0.5)).orElse(d.alpha());
        Map<String, Double> tolerances = d.tolerances();
        if (m.containsKey("tolerances")) {
            tolerances = new LinkedHashMap<>();
            for (var e : m.get("tolerances").mapping(GATE_METRICS).orElse(Map.of()).entrySet()) {
                Optional<Double> v = e.getValue().number(0, 1e6);
                if (v.isPresent()) tolerances.put(e.getKey(), v.get());
            }
        }
        boolean times = get(m, "absolute_times", ConfigNode::bool).orElse(d.gateTimes());
        return new GateSettings(factor, alpha, tolerances, times);
    }

    private List<Exclude> excludes(ConfigNode n, double scale) {
        List<Exclude> out = new ArrayList<>();
        for (ConfigNode rule : n.list().orElse(List.of())) {
            Map<String, String> match = new LinkedHashMap<>();
            for (var e : rule.mapping(Exclude.KEYS).orElse(Map.of()).entrySet()) {
                Optional<String> v = switch (e.getKey()) {
                    case "variant" -> variant(e.getValue()).map(VariantSpec::canonical);
                    case "grid" -> grid(e.getValue(), 1.0);
                    case "device" -> device(e.getValue()).map(Device::toString);
                    case "dtype" -> dtype(e.getValue()).map(t -> t.name().toLowerCase());
                    default -> e.getValue().string();
                };
                v.ifPresent(s -> match.put(e.getKey(), s));
            }
            if (match.isEmpty()) rule.problem("an exclude rule needs at least one of " + String.join(", ", Exclude.KEYS));
            else out.add(new Exclude(match, rule.path()));
        }
        return out;
    }

    /** Whether a variant can run on every (scaled) size of a workload; a problem at the variant when not. */
    private void fits(Workload w, ConfigNode wn, VariantSpec v, ConfigNode vn, double scale) {
        if (!(v instanceof VariantSpec.Todo t)) return;
        if (w instanceof Workload.Attention a) {
            for (String written : a.grids()) {
                String g = Scale.grid(written, scale);
                int[] hw = AttentionShape.parseGrid(g);
                if (hw[0] / t.factor() < 1 || hw[1] / t.factor() < 1) {
                    vn.problem(v.canonical() + " does not fit " + wn.path() + " grid " + g + ": factor " + t.factor()
                            + " leaves no tokens; use a factor up to " + Math.min(hw[0], hw[1]) + " or a larger grid");
                }
            }
        } else if (w instanceof Workload.UNet u) {
            UNetConfig config = UNetConfig.load(u.model());
            for (int written : u.resolutions()) {
                int px = Scale.resolution(config, written, scale);
                int level1 = px / UNetGraph.VAE_FACTOR;
                if (level1 / t.factor() < 1 || level1 / 2 / t.factorLevel2() < 1) {
                    vn.problem(v.canonical() + " does not fit " + wn.path() + " at " + px + " px (latent " + level1 + "x"
                            + level1 + "): lower the factor or raise the resolution");
                }
            }
        }
    }

    /** Problems only the expanded cells show: excludes that match nothing, nothing left to run. */
    private void checkCells(SweepConfig config, Map<String, ConfigNode> top) {
        CellPlan plan = CellPlan.of(config);
        for (Exclude e : config.excludes()) {
            if (plan.excludedBy(e) == 0) {
                problems.add(null, e.path(), "this exclude rule matches no cell; check its values against the sweep's axes");
            }
        }
        for (String id : plan.repeatedIds()) {
            top.get("workloads").problem("the cell " + id + " comes twice: a workload or variant is listed twice");
        }
        if (plan.measured().isEmpty()) {
            (top.containsKey("exclude") ? top.get("exclude") : new ConfigNode(null, "", problems))
                    .problem("every cell is excluded: nothing would run");
        }
    }

    private Optional<String> choice(ConfigNode n, List<String> allowed) {
        return n.string().flatMap(s -> {
            if (allowed.contains(s)) return Optional.of(s);
            n.problem("'" + s + "' is not one of " + String.join(", ", allowed) + Suggest.hint(s, allowed));
            return Optional.empty();
        });
    }

    /** Runs a check that speaks in UserErrors, turning its message into a problem at the node. */
    private static <T> Optional<T> attempt(ConfigNode n, Supplier<T> check) {
        try {
            return Optional.ofNullable(check.get());
        } catch (UserError e) {
            n.problem(e.getMessage());
            return Optional.empty();
        }
    }

    private static <T> Optional<T> get(Map<String, ConfigNode> m, String key, Function<ConfigNode, Optional<T>> read) {
        ConfigNode n = m.get(key);
        return n == null || n.isNull() ? Optional.empty() : read.apply(n);
    }

    private static <T> List<T> list(Map<String, ConfigNode> m, String key, Function<ConfigNode, Optional<T>> read,
            List<T> fallback) {
        ConfigNode n = m.get(key);
        if (n == null) return fallback;
        List<T> out = new ArrayList<>();
        for (ConfigNode item : n.list().orElse(List.of())) read.apply(item).ifPresent(out::add);
        return out.isEmpty() ? fallback : out;
    }

    private static String baseName(Path file) {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
