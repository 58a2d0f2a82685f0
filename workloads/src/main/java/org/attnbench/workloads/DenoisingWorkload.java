package org.attnbench.workloads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.metrics.timing.Samples;
import org.attnbench.methods.Variant;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.models.vae.VaeDecoder;
import org.attnbench.store.StepPhase;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.denoising.DenoisingLoop;
import org.attnbench.workloads.denoising.DenoiserGraphs;

/**
 * A whole denoising loop with the variant patched into the denoiser: one timed run samples one image
 * (every step, classifier-free guidance included) from noise seed {@code seed}; fidelity sample
 * s starts from noise seed + s and its output is the final latents, or, with a VAE, the image its
 * decoder makes of them (decoding is never timed). Sample 0 starts from the timed runs' own seed, so
 * it is the image the last timed run made, kept rather than sampled again: at 2048 px that saves an
 * image of several minutes per cell. Prompt states are seeded (seed + 1), the same for every variant,
 * so variants differ only by their attention.
 *
 * <p>With a run's encoded prompts ({@link PromptSamples}) the timed runs sample the first prompt's
 * first image, and fidelity sample j is image j % N of prompt j / N (N images per prompt) from noise
 * seed + j % N, each prompt's states read from its cached file when its first image is sampled.
 */
final class DenoisingWorkload implements CellWorkload {
    private final DenoisingLoop.Prepared loop;
    /** Every step of the timed runs since the measurement began. */
    private final List<DenoisingLoop.Step> steps = new ArrayList<>();
    private final long seed;
    private final Path vae;
    private final Path vaeWeights;
    private final int[] latent;
    private final Backend backend;
    private final Device device;
    private final CompileOptions options;
    private final PromptSamples prompts;
    private final Denoiser model;
    private final Point.Denoising point;
    /** The final latents of the last timed run: fidelity sample 0. */
    private HostTensor lastLatents;
    /** Compiled on the first fidelity sample, so it is not resident while the loop is timed. */
    private Executable decoder;
    /** The most bytes the variant's plan kept across steps at once, over the timed runs. */
    private long keptBytes;
    /** The floating-point operations of one image with the whole model at every step, under the same token method. */
    private final double everyStepFlops;

    DenoisingWorkload(Point.Denoising point, Variant variant, Backend backend, Device device, CompileOptions options, long seed,
            PromptSamples prompts) {
        this.seed = seed;
        this.point = point;
        this.prompts = prompts;
        var w = point.workload();
        Denoiser model = w.denoiser();
        int[] latent = model.latentSize(point.resolution());
        Conditioning conditioning = prompts == null ? model.seededConditioning(point.resolution(), seed)
                : prompts.conditioning(model, 0, point.resolution(), seed);
        model = model.withTextTokens(conditioning.tokens());
        this.model = model;
        variant.check(model);
        try (WeightSource weights = WeightSource.open(w.weights(), seed)) {
            DenoiserGraphs graphs = DenoiserGraphs.of(model, point.resolution(), weights);
            Scheduler scheduler = w.sampler(model, point.resolution());
            // Profiled once per graph before timing: the report splits each step into its parts.
            loop = new DenoisingLoop(backend, device, options.withProfiling()).prepare(graphs,
                    variant.plan(model, scheduler.timesteps()), new int[] {model.inChannels(), latent[0], latent[1]},
                    conditioning, scheduler, model.guidance(w.guidance()), seed);
            everyStepFlops = variant.steps() == null ? Double.NaN
                    : everyStepFlops(model, point, variant, scheduler, model.guidance(w.guidance()).batch());
        }
        this.vae = w.vae();
        this.vaeWeights = w.vaeWeights();
        this.latent = latent;
        this.backend = backend;
        this.device = device;
        this.options = options;
    }

    private Executable decoder() {
        if (decoder == null) {
            try (SafetensorsWeights weights = SafetensorsWeights.open(vaeWeights)) {
                decoder = backend.compile(VaeDecoder.build(VaeConfig.read(vae), latent[0], latent[1], weights), device, options);
            }
        }
        return decoder;
    }

    @Override
    public String unit() {
        return "image";
    }

    /** What the token method's plain loop would run: its whole model at every step, counted on graphs built with shapes only. */
    private static double everyStepFlops(Denoiser model, Point.Denoising point, Variant variant, Scheduler scheduler, int batch) {
        Map<String, Double> byPatch = new HashMap<>();
        double total = 0;
        for (double t : scheduler.timesteps()) {
            TokenPatch patch = variant.tokens().patchAt(t);
            total += byPatch.computeIfAbsent(patch.describe(),
                    k -> GraphCost.of(model.build(point.resolution(), batch, patch, null).proto()).flops());
        }
        return total;
    }

    @Override
    public void runOnce() {
        DenoisingLoop.Result sample = loop.sample(seed, null);
        steps.addAll(sample.steps());
        lastLatents = sample.latents();
        keptBytes = Math.max(keptBytes, sample.keptBytes());
    }

    /** Of the last timed image, against its token method's plain loop; 0 without a cross-step method. */
    @Override
    public double flopsSkipped() {
        return Double.isNaN(everyStepFlops) ? 0 : everyStepFlops - flops();
    }

    @Override
    public double keptMb() {
        return keptBytes / (1024.0 * 1024.0);
    }

    @Override
    public void resetStepTimes() {
        steps.clear();
    }

    /** The recorded steps grouped by the graphs they ran and their kind, in the order the plan first runs each. */
    @Override
    public List<StepPhase> phases() {
        Map<List<String>, List<Double>> byGraph = new LinkedHashMap<>();
        Map<List<String>, List<Integer>> indices = new LinkedHashMap<>();
        for (int k = 0; k < steps.size(); k++) {
            DenoisingLoop.Step s = steps.get(k);
            List<String> key = List.of(s.patch(), s.kind().name().toLowerCase(Locale.ROOT));
            byGraph.computeIfAbsent(key, x -> new ArrayList<>()).add(s.millis());
            if (k < loop.steps()) indices.computeIfAbsent(key, x -> new ArrayList<>()).add(s.index());
        }
        int images = Math.max(1, steps.size() / Math.max(1, loop.steps()));
        List<StepPhase> out = new ArrayList<>();
        byGraph.forEach((key, ms) -> out.add(new StepPhase(key.get(0), ms.size() / images, ms,
                new Samples(ms.stream().mapToDouble(Double::doubleValue).toArray()).median(),
                loop.flopsOf(key.get(0)), loop.partMillisOf(key.get(0)), loop.partFlopsOf(key.get(0)), key.get(1),
                indices.getOrDefault(key, List.of()))));
        return out;
    }

    @Override
    public HostTensor output(int s) {
        HostTensor latents;
        if (s == 0 && lastLatents != null) {
            latents = lastLatents;
        } else if (prompts == null) {
            latents = loop.sample(seed + s, null).latents();
        } else {
            Conditioning prompt = prompts.conditioning(model, prompts.promptOf(s), point.resolution(), seed);
            latents = loop.sample(prompt, prompts.seed(seed, s), null).latents();
        }
        return vae == null ? latents : decoder().run(Map.of(VaeDecoder.INPUT, latents)).get(VaeDecoder.OUTPUT);
    }

    @Override
    public boolean decodesImages() {
        return vae != null;
    }

    /** Of the last timed image: a plan that decides from the step's tensors may run less on one image than another. */
    @Override
    public double flops() {
        return loop.flopsAndBytes()[0];
    }

    @Override
    public double bytes() {
        return loop.flopsAndBytes()[1];
    }

    @Override
    public Map<String, String> settings() {
        return loop.settings();
    }

    @Override
    public void close() {
        loop.close();
        if (decoder != null) decoder.close();
    }
}
