package org.attnbench.harness.config;

import static org.attnbench.harness.config.ConfigNode.get;
import static org.attnbench.harness.config.ConfigNode.list;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.methods.Variant;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.workloads.features.ExtractorSpec;
import org.attnbench.workloads.features.FeatureExtractors;

/**
 * Reads the settings sections of a config: {@code timing}, {@code fidelity}, {@code gate},
 * {@code exclude} and {@code backend_options}.
 */
final class SettingsReader {
    static final Set<String> TIMING = Set.of("warmup", "iterations", "forks", "min_time_s", "jvm_args");
    static final Set<String> FIDELITY = Set.of("reference", "samples", "save_outputs", "extractor", "metrics");
    static final Set<String> EXTRACTOR = Set.of("name", "layer", "model", "output", "input_size", "value_range");
    static final Set<String> GATE = Set.of("speedup_factor", "p_value", "tolerances", "absolute_times");
    static final Set<String> GATE_METRICS = Set.of("mse", "max_abs", "cosine", "psnr_db", "hpf");

    private SettingsReader() {}

    /** Per backend, its own compile settings: names and values as the backend lists them. */
    static Map<String, Map<String, String>> backendOptions(ConfigNode n) {
        Map<String, Backend> backends = new LinkedHashMap<>();
        Backends.all().forEach(b -> backends.put(b.name(), b));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        n.mapping(backends.keySet()).orElse(Map.of()).forEach((name, options) -> {
            Map<String, List<String>> known = backends.get(name).options();
            Map<String, String> values = new LinkedHashMap<>();
            options.mapping(known.keySet()).orElse(Map.of()).forEach((key, value) ->
                    value.choice(known.get(key)).ifPresent(v -> values.put(key, v)));
            out.put(name, values);
        });
        return out;
    }

    static TimingSettings timing(ConfigNode n) {
        Map<String, ConfigNode> m = n.mapping(TIMING).orElse(Map.of());
        TimingSettings d = TimingSettings.DEFAULT;
        return new TimingSettings(get(m, "warmup", x -> x.integer(0)).orElse(d.warmup()),
                get(m, "iterations", x -> x.integer(1)).orElse(d.iterations()),
                get(m, "forks", x -> x.integer(0)).orElse(d.forks()),
                get(m, "min_time_s", x -> x.number(0, 3600)).orElse(d.minTimeS()),
                list(m, "jvm_args", SettingsReader::jvmArg, d.jvmArgs()));
    }

    private static Optional<String> jvmArg(ConfigNode n) {
        return n.string().flatMap(a -> {
            if (a.startsWith("-")) return Optional.of(a);
            n.problem("'" + a + "' is not a JVM option (they start with '-', e.g. -Xmx16g)");
            return Optional.empty();
        });
    }

    static FidelitySettings fidelity(ConfigNode n) {
        Map<String, ConfigNode> m = n.mapping(FIDELITY).orElse(Map.of());
        FidelitySettings d = FidelitySettings.DEFAULT;
        Variant reference = get(m, "reference", Values::variant).orElse(d.reference());
        return new FidelitySettings(reference, get(m, "samples", x -> x.integer(1)).orElse(d.samples()),
                get(m, "save_outputs", ConfigNode::bool).orElse(d.saveOutputs()),
                m.containsKey("extractor") ? extractor(m.get("extractor")).orElse(null) : null,
                Set.copyOf(list(m, "metrics", x -> x.choice(FidelitySettings.METRICS), FidelitySettings.METRICS)));
    }

    /** {@code extractor: nsfwjs-inception-v3}, or a mapping with the extractor's settings. */
    private static Optional<ExtractorSpec> extractor(ConfigNode n) {
        Map<String, ConfigNode> m;
        if (n.isScalar()) {
            m = Map.of("name", n);
        } else {
            m = n.mapping(EXTRACTOR).orElse(null);
            if (m == null) return Optional.empty();
        }
        Optional<String> name = get(m, "name", x -> x.choice(FeatureExtractors.NAMES));
        if (name.isEmpty()) {
            if (!m.containsKey("name")) n.problem("missing key 'name': " + String.join(" or ", FeatureExtractors.NAMES));
            return Optional.empty();
        }
        ExtractorSpec spec = new ExtractorSpec(name.get(), get(m, "layer", ConfigNode::string).orElse(null),
                get(m, "model", ConfigNode::string).map(Path::of).orElse(null), get(m, "output", ConfigNode::string).orElse(null),
                get(m, "input_size", x -> x.integer(1)).orElse(null), get(m, "value_range", ConfigNode::string).orElse(null),
                FeatureExtractors.DEFAULT_BATCH);
        return n.attempt(() -> {
            FeatureExtractors.check(spec);
            return spec;
        });
    }

    static GateSettings gate(ConfigNode n) {
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

    static List<Exclude> excludes(ConfigNode n) {
        List<Exclude> out = new ArrayList<>();
        for (ConfigNode rule : n.list().orElse(List.of())) {
            Map<String, String> match = new LinkedHashMap<>();
            for (var e : rule.mapping(Exclude.KEYS).orElse(Map.of()).entrySet()) {
                Optional<String> v = switch (e.getKey()) {
                    case "variant" -> Values.variant(e.getValue()).map(Variant::canonical);
                    case "grid" -> Values.grid(e.getValue(), 1.0);
                    case "device" -> Values.device(e.getValue()).map(Device::toString);
                    case "dtype" -> Values.dtype(e.getValue()).map(t -> t.name().toLowerCase());
                    default -> e.getValue().string();
                };
                v.ifPresent(s -> match.put(e.getKey(), s));
            }
            if (match.isEmpty()) rule.problem("an exclude rule needs at least one of " + String.join(", ", Exclude.KEYS));
            else out.add(new Exclude(match, rule.path()));
        }
        return out;
    }
}
