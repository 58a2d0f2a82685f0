package org.attnbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.metrics.memory.PeakRss;
import org.attnbench.metrics.timing.Samples;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Guidance;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.Variant;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.models.vae.Png;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.models.vae.VaeDecoder;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.denoising.DenoisingLoop;
import org.attnbench.workloads.denoising.DenoiserGraphs;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Samples one image's latents with a whole UNet or DiT, one variant patched in, and times every step. */
@Command(name = "unet", mixinStandardHelpOptions = true,
        description = "Run a denoising loop (DDIM or Euler, classifier-free guidance) with a diffusers UNet or PixArt "
                + "transformer patched with one attention variant; print per-step and per-image times. With --pipeline "
                + "and --prompt: from a prompt to the pipeline's latents and (--save-image) its image.")
final class UNetCommand implements Callable<Integer> {
    static final String LATENTS = "latents";

    @Mixin
    ModelOption model;

    @Mixin
    WeightsOption weights;

    @Mixin
    ImageSizeOptions imageSize;

    @Mixin
    VariantOption variant;

    @Mixin
    BlocksOption blocks;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "N", description = "Inference steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--scheduler", paramLabel = "NAME|FILE",
            description = "ddim, euler, euler-ancestral, pndm or dpm++2m (DPM-Solver++ 2M, PixArt's pipeline solver); "
                    + "flow models: euler; or a diffusers scheduler_config.json, read strictly "
                    + "(default: ddim, flow models euler).")
    String scheduler;

    @Option(names = "--guidance", defaultValue = "7.5", paramLabel = "G",
            description = "Guidance scale: classifier-free above 1 (batch 2); Flux.1-dev takes it as an input of the model "
                    + "(its pipeline uses 3.5), Flux.1-schnell none (default ${DEFAULT-VALUE}).")
    double guidance;

    @Mixin
    BackendOptions target;

    @Mixin
    SeedOption seed;

    @Option(names = "--embeddings", paramLabel = "E.safetensors",
            description = "Prompt states as encode-prompts writes them ('prompt_embeds' [P, L, D], 'negative_prompt_embeds', "
                    + "SDXL, SD3 and Flux 'pooled_prompt_embeds' [P, D'] and 'negative_pooled_prompt_embeds', PixArt "
                    + "'prompt_attention_mask' [P, L] and 'negative_prompt_attention_mask'), or 'cond' [1, L, D], optional "
                    + "'uncond', 'pooled' [1, D'] and 'uncond_pooled'; absent negatives are zeros. Any prompt length L. "
                    + "Seeded random when absent.")
    Path embeddings;

    @Option(names = "--prompt-index", defaultValue = "0", paramLabel = "I",
            description = "Which prompt of the --embeddings file to sample (default ${DEFAULT-VALUE}).")
    int promptIndex;

    @Option(names = "--latents", paramLabel = "IN.safetensors",
            description = "The initial noise: tensor 'latents' [1, C, h, w] of the image's latent grid, scaled by the "
                    + "scheduler's initial sigma as pipelines scale theirs (default: seeded N(0, 1)).")
    Path latents;

    @Option(names = "--prompt", paramLabel = "TEXT",
            description = "A prompt, encoded by --pipeline's own tokenizers and text encoders as its pipeline class does "
                    + "(they are let go before the denoiser's weights are read).")
    String prompt;

    @Option(names = "--negative-prompt", paramLabel = "TEXT",
            description = "With --prompt: its negative prompt (absent: \"\", or zeros for SDXL with force_zeros_for_empty_prompt).")
    String negativePrompt;

    @Option(names = "--max-sequence-length", paramLabel = "N",
            description = "With --prompt: T5's prompt length (default: the pipeline's: SD3 256, Flux 512, PixArt-sigma 300, "
                    + "PixArt-alpha 120).")
    Integer maxSequenceLength;

    @Option(names = "--vae", paramLabel = "DIR",
            description = "AutoencoderKL folder (config.json, diffusion_pytorch_model.safetensors): decode the latents.")
    Path vae;

    @Option(names = "--save-latents", paramLabel = "OUT.safetensors", description = "Write the final latents (tensor 'latents').")
    Path saveLatents;

    @Option(names = "--save-image", paramLabel = "OUT.png",
            description = "Write the decoded image (needs --vae, or --pipeline: its vae/).")
    Path saveImage;

    @Override
    public Integer call() {
        if (!(guidance >= 0) || Double.isInfinite(guidance)) throw new UserError("--guidance must be a finite number >= 0");
        checkPromptOptions();
        PipelineModel pipe = model.pipeline(model.pipeline != null && saveImage != null);
        if (saveImage != null && vae == null && pipe == null) {
            throw new UserError("--save-image needs --vae (or --pipeline): without a VAE there is no image");
        }
        if (promptIndex != 0 && embeddings == null) throw new UserError("--prompt-index picks a prompt of --embeddings; give the file");
        Denoiser denoiser = model.denoiser(blocks);
        ImageSize size = imageSize.size(denoiser, null);
        Scheduler sampler = pipe != null ? pipe.sampler(denoiser, scheduler, steps, size)
                : denoiser.scheduler(scheduler == null ? denoiser.defaultScheduler() : scheduler, steps, size);
        int[] latent = denoiser.latentSize(size);
        denoiser.checkSamples();
        Path vaeFolder = pipe != null && saveImage != null ? pipe.vae() : vae;
        Path vaeWeights = pipe != null && saveImage != null ? pipe.vaeWeights() : vae;
        VaeConfig vaeConfig = vaeFolder == null ? null : vaeConfig(denoiser, vaeFolder);
        Variant chosen = variant.spec();
        chosen.check(denoiser);
        Guidance guided = denoiser.guidance(guidance);
        Backend backend = target.backend();
        Device device = target.device(backend);
        HostTensor initial = latents == null ? null : initialLatents(denoiser, latent);
        Conditioning conditioning = conditioning(denoiser, size, pipe, backend, device);
        denoiser = denoiser.withTextTokens(conditioning.tokens());
        try (WeightSource source = WeightSource.open(pipe != null ? pipe.denoiserWeights() : weights.path, seed.seed)) {
            System.out.println("model: " + denoiser.name() + ", " + size + " px, variant " + chosen.canonical());
            System.out.println("weights: " + source.describe());
            System.out.println("embeddings: " + conditioning.source() + ", " + conditioning.tokens() + " tokens");
            if (initial != null) System.out.println("latents: " + latents);
            DenoisingLoop.Result r;
            try (DenoisingLoop.Prepared loop = new DenoisingLoop(backend, device, CompileOptions.DEFAULT).prepare(
                    DenoiserGraphs.of(denoiser, size, source), chosen.plan(denoiser, sampler.timesteps()),
                    new int[] {denoiser.inChannels(), latent[0], latent[1]}, conditioning, sampler, guided, seed.seed)) {
                r = initial == null ? loop.sample(seed.seed, new Progress()) : loop.sample(initial, seed.seed, new Progress());
            }
            summary(sampler, guided, r);
            if (saveLatents != null) {
                Safetensors.write(saveLatents, Map.of(LATENTS, r.latents()));
                System.out.println("latents: " + saveLatents);
            }
            if (vaeConfig != null) decode(vaeConfig, vaeWeights, r.latents(), backend, device);
        }
        return 0;
    }

    /** The --latents file's tensor 'latents', checked against the image's latent grid. */
    private HostTensor initialLatents(Denoiser denoiser, int[] latent) {
        if (!Files.isRegularFile(latents)) throw new UserError("latents file not found: " + latents);
        Map<String, HostTensor> file;
        try {
            file = Safetensors.read(latents);
        } catch (RuntimeException e) {
            throw new UserError("cannot read latents file " + latents + ": " + e.getMessage());
        }
        HostTensor t = file.get(LATENTS);
        long[] want = {1, denoiser.inChannels(), latent[0], latent[1]};
        if (t == null) throw new UserError("latents file " + latents + " has no tensor 'latents' (it has " + file.keySet() + ")");
        if (!Arrays.equals(t.shape(), want) || !t.dtype().isFloatingPoint()) {
            throw new UserError("latents '" + LATENTS + "' in " + latents + " are " + t.dtype().name().toLowerCase(Locale.ROOT)
                    + " " + Arrays.toString(t.shape()) + "; this image needs float " + Arrays.toString(want));
        }
        for (float v : t.toFloats()) {
            if (!Float.isFinite(v)) throw new UserError("latents in " + latents + " hold a value that is not finite");
        }
        return t;
    }

    /** Which prompt options go together, refused before anything is read. */
    private void checkPromptOptions() {
        if (model.pipeline != null && weights.path != null) {
            throw new UserError("--pipeline brings the denoiser's weights (its unet/ or transformer/): leave out --weights");
        }
        if (model.pipeline != null && vae != null) {
            throw new UserError("--pipeline brings its VAE (vae/): leave out --vae");
        }
        if (prompt != null && model.pipeline == null) {
            throw new UserError("--prompt is encoded by a pipeline's text encoders: give --pipeline DIR"
                    + " (or the states encode-prompts wrote, as --embeddings)");
        }
        if (prompt != null && embeddings != null) throw new UserError("--prompt and --embeddings both give the prompt: give one");
        if (prompt == null && (negativePrompt != null || maxSequenceLength != null)) {
            throw new UserError((negativePrompt != null ? "--negative-prompt" : "--max-sequence-length") + " goes with --prompt");
        }
    }

    /**
     * The prompt's states: --prompt encoded by the pipeline's text encoders (each let go before the
     * denoiser's weights are read), an --embeddings file, or a seeded draw (seed + 1, so they differ
     * from the latents' noise).
     */
    private Conditioning conditioning(Denoiser denoiser, ImageSize size, PipelineModel pipe, Backend backend, Device device) {
        if (prompt != null) {
            PipelineFolder folder = pipe.folder();
            PromptEncoder encoder = PromptEncoder.of(folder, TextEncoders.of(folder, backend, device), maxSequenceLength,
                    System.err::println);
            long t0 = System.nanoTime();
            Map<String, HostTensor> tensors = encoder.encode(List.of(prompt), negativePrompt);
            System.out.printf(Locale.ROOT, "encode_s: %.3f%n", (System.nanoTime() - t0) / 1e9);
            return denoiser.fit(Conditioning.encoded(tensors, 0, "prompt \"" + prompt + "\""), size, seed.seed);
        }
        return embeddings == null ? denoiser.seededConditioning(size, seed.seed)
                : denoiser.readConditioning(embeddings, promptIndex, size, seed.seed);
    }

    private VaeConfig vaeConfig(Denoiser denoiser, Path folder) {
        VaeConfig c = VaeConfig.read(folder);
        denoiser.checkVae(c.latentChannels());
        return c;
    }

    /** Decodes the latents with the VAE (timed, compile excluded) and writes the image if asked. */
    private void decode(VaeConfig config, Path vaeWeights, HostTensor latents, Backend backend, Device device) {
        long[] s = latents.shape();
        try (SafetensorsWeights w = SafetensorsWeights.open(vaeWeights);
                Executable exe = backend.compile(VaeDecoder.build(config, (int) s[2], (int) s[3], w), device, CompileOptions.DEFAULT)) {
            long t0 = System.nanoTime();
            HostTensor image = exe.run(Map.of(VaeDecoder.INPUT, latents)).get(VaeDecoder.OUTPUT);
            System.out.printf(Locale.ROOT, "vae_decode_s: %.3f%n", (System.nanoTime() - t0) / 1e9);
            if (saveImage != null) {
                Png.write(image, saveImage);
                System.out.println("image: " + saveImage);
            }
        }
    }

    private void summary(Scheduler sampler, Guidance guidance, DenoisingLoop.Result r) {
        Samples s = new Samples(r.stepMillis());
        System.out.printf(Locale.ROOT, "scheduler: %s, %d steps, guidance %s%n", sampler.name(), sampler.steps(),
                guidance.describe());
        System.out.printf(Locale.ROOT, "compile_s: %.3f%n", r.compileMillis() / 1e3);
        System.out.printf(Locale.ROOT, "warmup_s: %.3f%n", r.warmupMillis() / 1e3);
        System.out.printf(Locale.ROOT, "step_s_median: %.4f%n", s.median() / 1e3);
        System.out.printf(Locale.ROOT, "image_s: %.3f%n", r.totalMillis() / 1e3);
        System.out.printf(Locale.ROOT, "peak_rss_mb: %.0f%n", PeakRss.megabytes());
    }

    /** One line per step; each graph's patch is described where it first runs, then referred to by number. */
    private static final class Progress implements DenoisingLoop.Listener {
        private final Map<String, Integer> graphs = new LinkedHashMap<>();
        private double elapsed;

        @Override
        public void stepDone(DenoisingLoop.Step step, int steps) {
            Integer id = graphs.get(step.patch());
            if (id == null) {
                id = graphs.size() + 1;
                graphs.put(step.patch(), id);
                System.out.println("graph " + id + ": " + step.patch());
            }
            elapsed += step.millis();
            int done = step.index() + 1;
            double t = step.timestep();
            String time = t == Math.rint(t) ? Long.toString((long) t) : String.format(Locale.ROOT, "%.1f", t);
            String kind = step.kind() == StepPlan.StepKind.FULL ? "" : "  " + step.kind().name().toLowerCase(Locale.ROOT);
            String note = step.note().isEmpty() ? "" : "  " + step.note();
            System.out.printf(Locale.ROOT, "step %d/%d  t=%s  graph %d%s%s  %.1f ms  (eta %.1f s)%n", done, steps,
                    time, id, kind, note, step.millis(), elapsed / done * (steps - done) / 1e3);
        }
    }
}
