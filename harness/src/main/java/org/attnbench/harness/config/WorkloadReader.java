package org.attnbench.harness.config;

import static org.attnbench.harness.config.ConfigNode.get;
import static org.attnbench.harness.config.ConfigNode.list;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attnbench.models.SizeLimits;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.DpmSolverScheduler;
import org.attnbench.models.diffusion.EulerAncestralScheduler;
import org.attnbench.models.diffusion.PndmScheduler;
import org.attnbench.models.diffusion.SchedulerConfig;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.workloads.Workload;

/** Reads the items of {@code workloads}: attention blocks and UNets, with their sizes checked at the given scale. */
final class WorkloadReader {
    static final Set<String> KINDS = Set.of("attention", "unet");
    static final Set<String> ATTENTION = Set.of("grids", "channels", "heads", "batch", "inputs");
    static final Set<String> UNET = Set.of("model", "weights", "resolutions", "steps", "scheduler", "guidance", "vae", "blocks",
            "pipeline", "variant");
    static final List<String> INPUTS = List.of("synthetic", "photos", "gaussian");
    static final List<String> SCHEDULERS = List.of("ddim", "euler", EulerAncestralScheduler.NAME, PndmScheduler.NAME,
            DpmSolverScheduler.NAME);

    private WorkloadReader() {}

    /** One item of {@code workloads}: exactly one of {@code attention:} or {@code unet:}. */
    static Optional<Workload> read(ConfigNode n, double scale) {
        Map<String, ConfigNode> kinds = n.mapping(KINDS).orElse(null);
        if (kinds == null) return Optional.empty();
        if (kinds.size() != 1) {
            n.problem("each workload is exactly one of 'attention:' or 'unet:' with its settings under it");
            return Optional.empty();
        }
        var e = kinds.entrySet().iterator().next();
        return e.getKey().equals("attention") ? attention(e.getValue(), scale) : unet(e.getValue(), scale);
    }

    private static Optional<Workload> attention(ConfigNode n, double scale) {
        Map<String, ConfigNode> m = n.mapping(ATTENTION).orElse(null);
        if (m == null) return Optional.empty();
        List<String> grids = list(m, "grids", g -> Values.grid(g, scale), List.of("64x64"));
        int channels = get(m, "channels", c -> c.integer(1, SizeLimits.ATTENTION_CHANNELS)).orElse(320);
        int heads = get(m, "heads", c -> c.integer(1, SizeLimits.HEADS)).orElse(8);
        int batch = get(m, "batch", c -> c.integer(1, SizeLimits.BATCH)).orElse(1);
        String inputs = get(m, "inputs", c -> c.choice(INPUTS)).orElse("synthetic");
        if (channels % heads != 0) {
            n.problem(channels + " channels do not split into " + heads + " heads; pick heads that divide channels "
                    + "(SD 1.5 level 1: 320 channels, 8 heads)");
        }
        return Optional.of(new Workload.Attention(grids, channels, heads, batch, inputs));
    }

    private static Optional<Workload> unet(ConfigNode n, double scale) {
        Map<String, ConfigNode> m = n.mapping(UNET).orElse(null);
        if (m == null) return Optional.empty();
        if (m.containsKey("pipeline")) return pipeline(m, scale);
        if (m.containsKey("variant")) {
            m.get("variant").problem("'variant' picks a pipeline folder's weights variant (fp16): give 'pipeline', or leave it out");
        }
        if (!m.containsKey("model")) {
            n.problem("missing key 'model': one of " + Denoiser.bundled() + " or a diffusers config.json (or give 'pipeline')");
            return Optional.empty();
        }
        ConfigNode modelNode = m.get("model");
        Optional<String> model = modelNode.string();
        Optional<BlockRange> givenBlocks = blocks(m);
        BlockRange blocks = givenBlocks.orElse(BlockRange.ALL);
        Optional<Denoiser> config = model.flatMap(name -> modelNode.attempt(() -> Denoiser.load(name)));
        // the range is checked against the model at its own key, and the model's other checks go on either way
        boolean blocksFit = config.isEmpty() || blocks.equals(BlockRange.ALL)
                || m.get("blocks").attempt(() -> Denoiser.load(model.get(), blocks)).isPresent();
        if (m.containsKey("blocks") && givenBlocks.isEmpty() && !m.get("blocks").isNull()) blocksFit = false;
        Path weights = get(m, "weights", ConfigNode::string).map(Path::of).orElse(null);
        if (weights != null && !Files.exists(weights)) {
            m.get("weights").problem("no such file or folder: " + weights + " (leave 'weights' out for seeded random weights)");
        }
        List<ImageSize> resolutions = resolutions(m, config, scale);
        int steps = get(m, "steps", s -> s.integer(1, SizeLimits.STEPS)).orElse(2);
        Optional<String> namedScheduler = scheduler(m);
        String scheduler = namedScheduler.orElse(config.map(Denoiser::defaultScheduler).orElse("ddim"));
        double guidance = get(m, "guidance", g -> g.number(0, 100)).orElse(7.5);
        Path vae = get(m, "vae", ConfigNode::string).map(Path::of).orElse(null);
        if (vae != null && config.isPresent()) {
            m.get("vae").attempt(() -> {
                VaeConfig v = VaeConfig.read(vae);
                config.get().checkVae(v.latentChannels());
                return v;
            });
        }
        if (model.isEmpty() || config.isEmpty() || !blocksFit) return Optional.empty();
        Workload.Denoising w = new Workload.Denoising(model.get(), weights, resolutions, steps, scheduler, guidance, vae, blocks);
        check(w, config.get(), m, modelNode, namedScheduler.isPresent());
        return Optional.of(w);
    }

    /**
     * A pipeline folder's denoiser, VAE and scheduler (in {@code variant}), every part it needs checked
     * now; 'model', 'weights' and 'vae' come from the folder, 'scheduler' names one over its own.
     */
    private static Optional<Workload> pipeline(Map<String, ConfigNode> m, double scale) {
        for (String key : List.of("model", "weights", "vae")) {
            if (m.containsKey(key)) {
                m.get(key).problem("'" + key + "' comes from the pipeline folder (its " + (key.equals("vae") ? "vae/" : "unet/ or transformer/")
                        + "); leave it out, or leave out 'pipeline'");
            }
        }
        ConfigNode at = m.get("pipeline");
        String variant = get(m, "variant", ConfigNode::string).orElse(null);
        Optional<PipelineModel> folder = at.string().flatMap(p -> at.attempt(() -> PipelineModel.open(Path.of(p), variant, true)));
        Optional<BlockRange> givenBlocks = blocks(m);
        BlockRange blocks = givenBlocks.orElse(BlockRange.ALL);
        Optional<Denoiser> config = folder.flatMap(f -> (m.containsKey("blocks") ? m.get("blocks") : at).attempt(() -> f.denoiser(blocks)));
        List<ImageSize> resolutions = resolutions(m, config, scale);
        int steps = get(m, "steps", s -> s.integer(1, SizeLimits.STEPS)).orElse(2);
        String scheduler = scheduler(m).orElse(null);
        double guidance = get(m, "guidance", g -> g.number(0, 100)).orElse(7.5);
        if (folder.isEmpty() || config.isEmpty()) return Optional.empty();
        PipelineModel p = folder.get();
        at.attempt(() -> {
            config.get().checkVae(VaeConfig.read(p.vae()).latentChannels());
            return true;
        });
        Workload.Denoising w = new Workload.Denoising(p.denoiserConfig().toString(), p.denoiserWeights(), resolutions, steps, scheduler,
                guidance, p.vae(), blocks, Path.of(at.string().orElseThrow()), variant);
        check(w, config.get(), m, at, true);
        return Optional.of(w);
    }

    /**
     * Its scheduler can be built at its first size (a config read strictly, a name the model takes), when
     * {@code scheduler} says to check it, and the model samples text to image.
     */
    private static void check(Workload.Denoising w, Denoiser d, Map<String, ConfigNode> m, ConfigNode model, boolean scheduler) {
        if (scheduler) {
            ImageSize first = w.resolutions().isEmpty() ? ImageSize.square(d.nativeResolution()) : w.resolutions().get(0);
            m.getOrDefault("scheduler", model).attempt(() -> w.sampler(d, first));
        }
        model.attempt(() -> {
            d.checkSamples();
            return true;
        });
    }

    private static Optional<BlockRange> blocks(Map<String, ConfigNode> m) {
        return get(m, "blocks", b -> b.string().flatMap(text -> b.attempt(() -> BlockRange.parse(text))));
    }

    private static Optional<String> scheduler(Map<String, ConfigNode> m) {
        return get(m, "scheduler", s -> s.string().flatMap(v -> SchedulerConfig.isFile(v) ? Optional.of(v) : s.choice(SCHEDULERS)));
    }

    private static List<ImageSize> resolutions(Map<String, ConfigNode> m, Optional<Denoiser> config, double scale) {
        List<ImageSize> resolutions = new ArrayList<>();
        if (m.containsKey("resolutions")) {
            for (ConfigNode r : m.get("resolutions").list().orElse(List.of())) {
                r.string().flatMap(text -> r.attempt(() -> ImageSize.parse(text))).ifPresent(size -> {
                    config.ifPresent(c -> r.attempt(() -> c.latentSize(Scale.resolution(c, size, scale))));
                    resolutions.add(size);
                });
            }
        } else {
            resolutions.add(ImageSize.square(config.map(Denoiser::nativeResolution).orElse(512)));
        }
        return resolutions;
    }
}
