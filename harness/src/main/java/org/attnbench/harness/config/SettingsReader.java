package org.attnbench.harness.config;

import static org.attnbench.harness.config.ConfigNode.get;
import static org.attnbench.harness.config.ConfigNode.list;

import java.nio.file.Files;
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
import org.attnbench.core.UserError;
import org.attnbench.methods.Variant;
import org.attnbench.models.SizeLimits;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.text.encoder.ClipModelConfig;
import org.attnbench.workloads.features.ExtractorSpec;
import org.attnbench.workloads.features.FeatureExtractors;
import org.attnbench.workloads.text.PromptSet;
import org.attnbench.workloads.text.PromptSetFiles;

/**
 * Reads the settings sections of a config: {@code timing}, {@code fidelity}, {@code gate},
 * {@code exclude} and {@code backend_options}.
 */
final class SettingsReader {
    static final Set<String> TIMING = Set.of("warmup", "iterations", "forks", "min_time_s", "jvm_args",
            "interleave", "threads");
    static final Set<String> FIDELITY = Set.of("reference", "samples", "save_outputs", "save_images", "extractor", "metrics",
            "reference_images", "clip");
    static final Set<String> EXTRACTOR = Set.of("name", "layer", "model", "output", "input_size", "value_range");
    static final Set<String> GATE = Set.of("speedup_factor", "p_value", "tolerances", "absolute_times",
            "spread");
    static final Set<String> GATE_METRICS = Set.of("mse", "max_abs", "cosine", "psnr_db", "hpf");
    /** Most images one prompt may ask for; most T5 tokens (4096: 8 times Flux's 512). */
    static final int IMAGES_PER_PROMPT = 10_000;
    static final int MAX_SEQUENCE_LENGTH = 4096;
    static final Set<String> PROMPTS = Set.of("list", "file", "limit", "name", "negative_prompt", "images_per_prompt",
            "max_sequence_length");

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
        return new TimingSettings(get(m, "warmup", x -> x.integer(0, 10_000)).orElse(d.warmup()),
                get(m, "iterations", x -> x.integer(1, 100_000)).orElse(d.iterations()),
                get(m, "forks", x -> x.integer(0, 100)).orElse(d.forks()),
                get(m, "min_time_s", x -> x.number(0, 3600)).orElse(d.minTimeS()),
                list(m, "jvm_args", SettingsReader::jvmArg, d.jvmArgs()),
                get(m, "interleave", ConfigNode::bool).orElse(d.interleave()),
                get(m, "threads", x -> x.integer(0, 1024)).orElse(d.threads()));
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
        boolean saveOutputs = get(m, "save_outputs", ConfigNode::bool).orElse(d.saveOutputs());
        return new FidelitySettings(reference, get(m, "samples", x -> x.integer(1, 10_000)).orElse(d.samples()), saveOutputs,
                m.containsKey("extractor") ? extractor(m.get("extractor")).orElse(null) : null,
                Set.copyOf(list(m, "metrics", x -> x.choice(FidelitySettings.METRICS), FidelitySettings.METRICS)),
                get(m, "reference_images", SettingsReader::imageFolder).orElse(null),
                get(m, "clip", SettingsReader::clipFolder).orElse(null),
                get(m, "save_images", ConfigNode::bool).orElse(saveOutputs));
    }

    /** A CLIPModel folder, its config read now (its weights, tokenizer and image processor when the sweep starts). */
    private static Optional<Path> clipFolder(ConfigNode n) {
        return n.string().flatMap(s -> n.attempt(() -> {
            Path p = Path.of(s);
            if (!Files.isDirectory(p)) throw new UserError("CLIP folder " + s + " does not exist");
            ClipModelConfig.read(p.resolve("config.json"));
            return p;
        }));
    }

    /** A folder that exists (its images are listed when the sweep starts). */
    private static Optional<Path> imageFolder(ConfigNode n) {
        return n.string().flatMap(s -> {
            Path p = Path.of(s);
            if (Files.isDirectory(p)) return Optional.of(p);
            n.problem("reference image folder " + s + " does not exist");
            return Optional.empty();
        });
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
                get(m, "input_size", x -> x.integer(1, SizeLimits.IMAGE_SIDE_PX)).orElse(null), get(m, "value_range", ConfigNode::string).orElse(null),
                FeatureExtractors.DEFAULT_BATCH);
        return n.attempt(() -> {
            FeatureExtractors.check(spec);
            return spec;
        });
    }

    /**
     * {@code prompts:} a list of prompts, or a mapping: {@code list} or {@code file} (one prompt per
     * line, COCO captions .json, PartiPrompts .tsv), {@code limit} (the first N), {@code name},
     * {@code negative_prompt}, {@code images_per_prompt}, {@code max_sequence_length}.
     */
    static Optional<PromptSettings> prompts(ConfigNode n) {
        if (n.isList()) return promptList(n, "prompts").map(set -> new PromptSettings(set, null, 1, null));
        if (n.isScalar()) {
            n.problem("give the prompts as a list (- a photo of a cat), or a file as {file: PATH}");
            return Optional.empty();
        }
        Map<String, ConfigNode> m = n.mapping(PROMPTS).orElse(null);
        if (m == null) return Optional.empty();
        if (m.containsKey("list") == m.containsKey("file")) {
            n.problem("give exactly one of 'list' (the prompts) or 'file' (one per line, COCO captions .json, PartiPrompts .tsv)");
            return Optional.empty();
        }
        Optional<PromptSet> set = m.containsKey("list") ? promptList(m.get("list"), "prompts")
                : get(m, "file", f -> f.string().flatMap(s -> f.attempt(() -> PromptSetFiles.read(Path.of(s)))));
        Optional<Integer> limit = get(m, "limit", x -> x.integer(1, Integer.MAX_VALUE));
        Optional<String> name = get(m, "name", ConfigNode::string);
        String negative = get(m, "negative_prompt", ConfigNode::string).orElse(null);
        int images = get(m, "images_per_prompt", x -> x.integer(1, IMAGES_PER_PROMPT)).orElse(1);
        Integer length = get(m, "max_sequence_length", x -> x.integer(1, MAX_SEQUENCE_LENGTH)).orElse(null);
        return set.map(s -> limit.map(s::limit).orElse(s)).map(s -> name.map(s::named).orElse(s))
                .map(s -> new PromptSettings(s, negative, images, length));
    }

    private static Optional<PromptSet> promptList(ConfigNode n, String name) {
        List<String> prompts = new ArrayList<>();
        for (ConfigNode item : n.list().orElse(List.of())) item.string().ifPresent(prompts::add);
        return prompts.isEmpty() ? Optional.empty() : Optional.of(new PromptSet(name, prompts, "the config"));
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
        double spread = get(m, "spread", x -> x.number(0, 100)).orElse(d.spread());
        return new GateSettings(factor, alpha, tolerances, times, spread);
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
