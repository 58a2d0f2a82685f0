package org.attnbench.harness.config;

import static org.attnbench.harness.config.ConfigNode.get;
import static org.attnbench.harness.config.ConfigNode.list;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.backend.Device;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.tensor.DType;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;
import org.attnbench.workloads.Workload;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a sweep config and checks it: YAML syntax, known keys, value types and ranges, backend,
 * device, dtype and variant names, and the combinations that cannot run (a ToDo factor that
 * leaves no grid, a resolution the UNet cannot take, an exclude rule that matches nothing).
 * Every problem found is reported together ({@link ConfigError}). The sections are read by
 * {@link WorkloadReader} and {@link SettingsReader}, single values by {@link Values}; this class
 * reads the file, the top level, and the checks that need more than one section.
 */
public final class SweepConfigReader {
    static final Set<String> TOP = Set.of("name", "description", "backends", "devices", "dtypes", "workloads", "variants",
            "exclude", "timing", "fidelity", "gate", "ceilings", "seed", "out", "backend_options", "prompts");

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
            throw new UserError("cannot read config " + file + ": " + Reasons.of(e));
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
        List<String> backends = list(top, "backends", Values::backend, List.of("onnxruntime", "djl"));
        List<Device> devices = list(top, "devices", Values::device, List.of(Device.CPU));
        List<DType> dtypes = list(top, "dtypes", Values::dtype, List.of(DType.FLOAT32));
        List<Workload> workloads = new ArrayList<>();
        List<ConfigNode> workloadNodes = new ArrayList<>();
        if (!top.containsKey("workloads")) {
            root.problem("missing key 'workloads': give at least one attention or unet workload (see configs/README.md)");
        } else {
            for (ConfigNode n : top.get("workloads").list().orElse(List.of())) {
                WorkloadReader.read(n, scale).ifPresent(w -> {
                    workloads.add(w);
                    workloadNodes.add(n);
                });
            }
        }
        List<ConfigNode> variantNodes = top.containsKey("variants") ? top.get("variants").list().orElse(List.of()) : List.of();
        if (!top.containsKey("variants")) root.problem("missing key 'variants': list the attention variants to compare");
        List<Variant> variants = new ArrayList<>();
        List<ConfigNode> parsedVariantNodes = new ArrayList<>();
        for (ConfigNode n : variantNodes) {
            Values.variant(n).ifPresent(v -> {
                variants.add(v);
                parsedVariantNodes.add(n);
            });
        }
        TimingSettings timing = top.containsKey("timing") ? SettingsReader.timing(top.get("timing")) : TimingSettings.DEFAULT;
        FidelitySettings fidelity = top.containsKey("fidelity") ? SettingsReader.fidelity(top.get("fidelity")) : FidelitySettings.DEFAULT;
        GateSettings gate = top.containsKey("gate") ? SettingsReader.gate(top.get("gate")) : GateSettings.DEFAULT;
        boolean ceilings = get(top, "ceilings", ConfigNode::bool).orElse(true);
        long seed = get(top, "seed", n -> n.integer(0, Integer.MAX_VALUE)).orElse(0);
        Path out = get(top, "out", ConfigNode::string).map(Path::of).orElse(Path.of("results", "runs"));
        List<Exclude> excludes = top.containsKey("exclude") ? SettingsReader.excludes(top.get("exclude")) : List.of();
        Map<String, Map<String, String>> backendOptions = top.containsKey("backend_options")
                ? SettingsReader.backendOptions(top.get("backend_options")) : Map.of();
        for (int w = 0; w < workloads.size(); w++) {
            for (int v = 0; v < variants.size(); v++) {
                fits(workloads.get(w), workloadNodes.get(w), variants.get(v), parsedVariantNodes.get(v), scale);
            }
        }
        PromptSettings prompts = top.containsKey("prompts") ? SettingsReader.prompts(top.get("prompts")).orElse(null) : null;
        if (prompts != null) checkPipelines(prompts, workloads, workloadNodes);
        if (fidelity.extractor() != null) {
            ConfigNode at = top.get("fidelity");
            if (workloads.stream().noneMatch(w -> w instanceof Workload.Denoising u && u.vae() != null)) {
                at.problem("an extractor scores images: give a unet workload a 'vae' (or a 'pipeline') to decode them");
            }
            int images = prompts != null ? prompts.images() : fidelity.samples();
            if (images < 2) at.problem("FID-like scores need at least 2 images; set 'samples' (or more prompts)");
        }
        if (fidelity.referenceImages() != null && fidelity.extractor() == null) {
            top.get("fidelity").problem("reference_images are scored with an extractor: name one in 'extractor'");
        }
        if (fidelity.clip() != null && prompts == null) {
            top.get("fidelity").problem("clip scores each image against the prompt it was sampled from: give 'prompts'"
                    + " (and a 'pipeline' in each unet workload)");
        }
        List<Problem> places = workloadNodes.stream().map(n -> problems.place(n.mark(), n.path())).toList();
        SweepConfig config = new SweepConfig(file, text, name, description, backends, devices, dtypes, workloads, variants,
                excludes, timing, fidelity, gate, ceilings, seed, out, scale, backendOptions, places, prompts);
        if (problems.isEmpty()) checkCells(config, top);
        return config;
    }

    /**
     * With prompts, every denoising workload encodes them with its pipeline's text encoders: it must
     * name a pipeline whose text encoders and tokenizers are there and of classes attnbench loads.
     */
    private static void checkPipelines(PromptSettings prompts, List<Workload> workloads, List<ConfigNode> nodes) {
        for (int i = 0; i < workloads.size(); i++) {
            if (!(workloads.get(i) instanceof Workload.Denoising u)) continue;
            ConfigNode at = nodes.get(i);
            if (u.pipeline() == null) {
                at.problem("prompts are encoded by a pipeline's text encoders: give this unet workload a 'pipeline'"
                        + " (a diffusers folder with model_index.json), or leave out 'prompts'");
                continue;
            }
            at.attempt(() -> {
                PipelineFolder folder = PipelineFolder.open(u.pipeline(), u.weightsVariant());
                return PromptEncoder.of(folder, TextEncoders.of(folder, null, null), prompts.maxSequenceLength(), w -> {});
            });
        }
    }

    /** Whether a variant can run on every (scaled) size of a workload; a problem at the variant when not. */
    private void fits(Workload w, ConfigNode wn, Variant v, ConfigNode vn, double scale) {
        if (w instanceof Workload.Attention a) {
            for (String written : a.grids()) {
                String g = Scale.grid(written, scale);
                int[] hw = AttentionShape.parseGrid(g);
                if (!v.fits(hw[0], hw[1], false)) {
                    vn.problem(v.canonical() + " does not fit " + wn.path() + " grid " + g
                            + ": it leaves no tokens there; use a larger grid or a smaller reduction");
                }
            }
        } else if (w instanceof Workload.Denoising u) {
            Denoiser model = u.denoiser();
            for (ImageSize written : u.resolutions()) {
                ImageSize size = Scale.resolution(model, written, scale);
                int[] level1;
                try {
                    level1 = model.latentSize(size);
                } catch (UserError e) {
                    continue; // a size the model cannot take is reported at the resolution itself
                }
                if (!model.fits(v.tokens().patch(), size)) {
                    vn.problem(v.canonical() + " does not fit " + wn.path() + " at " + size + " px (latent " + level1[0]
                            + "x" + level1[1] + "): it leaves no tokens there; raise the resolution or use a smaller reduction");
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
        for (Cell cell : plan.measured()) {
            String problem = notApplicable(cell);
            if (problem != null) {
                top.get("variants").problem(problem + " (cell " + cell.label() + "): drop the variant or exclude the cell");
            }
        }
        if (plan.measured().isEmpty()) {
            (top.containsKey("exclude") ? top.get("exclude") : new ConfigNode(null, "", problems))
                    .problem("every cell is excluded: nothing would run");
        }
    }

    /** Why a kept cell's variant cannot run on its workload (a cross-step method without a loop, or on a model it refuses), or null. */
    private static String notApplicable(Cell cell) {
        if (cell.variant() == null || cell.variant().steps() == null) return null;
        if (!(cell.point() instanceof Point.Denoising d)) {
            return cell.variant().steps().family() + " works across the steps of a denoising loop; an attention block has none";
        }
        try {
            cell.variant().check(d.workload().denoiser());
            return null;
        } catch (UserError e) {
            return e.getMessage();
        }
    }

    private static String baseName(Path file) {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
