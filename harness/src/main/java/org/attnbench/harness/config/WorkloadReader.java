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
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.DpmSolverScheduler;
import org.attnbench.models.diffusion.EulerAncestralScheduler;
import org.attnbench.models.diffusion.PndmScheduler;
import org.attnbench.models.diffusion.SchedulerConfig;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.workloads.Workload;

/** Reads the items of {@code workloads}: attention blocks and UNets, with their sizes checked at the given scale. */
final class WorkloadReader {
    static final Set<String> KINDS = Set.of("attention", "unet");
    static final Set<String> ATTENTION = Set.of("grids", "channels", "heads", "batch", "inputs");
    static final Set<String> UNET = Set.of("model", "weights", "resolutions", "steps", "scheduler", "guidance", "vae", "blocks");
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
        int channels = get(m, "channels", c -> c.integer(1)).orElse(320);
        int heads = get(m, "heads", c -> c.integer(1)).orElse(8);
        int batch = get(m, "batch", c -> c.integer(1)).orElse(1);
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
        if (!m.containsKey("model")) {
            n.problem("missing key 'model': one of " + Denoiser.bundled() + " or a diffusers config.json");
            return Optional.empty();
        }
        ConfigNode modelNode = m.get("model");
        Optional<String> model = modelNode.string();
        BlockRange blocks = get(m, "blocks", b -> b.string().flatMap(text -> b.attempt(() -> BlockRange.parse(text))))
                .orElse(BlockRange.ALL);
        Optional<Denoiser> config = model.flatMap(name -> modelNode.attempt(() -> Denoiser.load(name, blocks)));
        Path weights = get(m, "weights", ConfigNode::string).map(Path::of).orElse(null);
        if (weights != null && !Files.exists(weights)) {
            m.get("weights").problem("no such file or folder: " + weights + " (leave 'weights' out for seeded random weights)");
        }
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
        int steps = get(m, "steps", s -> s.integer(1)).orElse(2);
        String scheduler = get(m, "scheduler", s -> s.string().flatMap(v -> SchedulerConfig.isFile(v) ? Optional.of(v) : s.choice(SCHEDULERS)))
                .orElse(config.map(Denoiser::defaultScheduler).orElse("ddim"));
        if (m.containsKey("scheduler") && config.isPresent()) { // a config read strictly, or a name the model cannot take
            Denoiser d = config.get();
            m.get("scheduler").attempt(() -> d.scheduler(scheduler, steps, ImageSize.square(d.nativeResolution())));
        }
        double guidance = get(m, "guidance", g -> g.number(0, 100)).orElse(7.5);
        Path vae = get(m, "vae", ConfigNode::string).map(Path::of).orElse(null);
        if (vae != null && config.isPresent()) {
            m.get("vae").attempt(() -> {
                VaeConfig v = VaeConfig.read(vae);
                config.get().checkVae(v.latentChannels());
                return v;
            });
        }
        if (model.isEmpty() || config.isEmpty()) return Optional.empty();
        modelNode.attempt(() -> {
            config.get().checkSamples();
            return true;
        });
        return Optional.of(new Workload.Denoising(model.get(), weights, resolutions, steps, scheduler, guidance, vae, blocks));
    }
}
