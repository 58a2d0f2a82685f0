package org.attnbench.models.diffusion;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnbench.core.Suggest;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.FluxConfig;
import org.attnbench.models.dit.PixArtConfig;
import org.attnbench.models.dit.SD3Config;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.WeightSource;

/**
 * The model a denoising loop drives: a diffusers UNet ({@link UNetDenoiser}) or a diffusion
 * transformer ({@link PixArtDenoiser}, {@link SD3Denoiser}, {@link FluxDenoiser}). All take the
 * noisy latents, the timestep and the prompt states under the same input names and predict the
 * noise (SD3 and Flux: the flow velocity, which their own scheduler steps on), so one loop, one
 * workload kind and one set of sweep keys serve them all.
 */
public interface Denoiser {
    /** A bundled name (sd15, sd21, sdxl, tiny; pixart-sigma, pixart-sigma-2k, pixart-tiny; sd3-medium, ...) or a diffusers config.json. */
    static Denoiser load(String nameOrPath) {
        return load(nameOrPath, BlockRange.ALL);
    }

    /** As {@link #load(String)}, a DiT's method on the blocks given; a UNet takes {@code all} only (it patches by level). */
    static Denoiser load(String nameOrPath, BlockRange blocks) {
        requireKnown(nameOrPath);
        if (PixArtConfig.isPixArt(nameOrPath)) return new PixArtDenoiser(PixArtConfig.load(nameOrPath), blocks);
        if (SD3Config.isSD3(nameOrPath)) return new SD3Denoiser(SD3Config.load(nameOrPath), blocks);
        if (FluxConfig.isFlux(nameOrPath)) return new FluxDenoiser(FluxConfig.load(nameOrPath), blocks);
        if (!blocks.equals(BlockRange.ALL)) {
            throw new UserError("blocks " + blocks + " applies to diffusion transformers; a UNet's transformer blocks are "
                    + "patched by level (leave blocks out)");
        }
        return new UNetDenoiser(UNetConfig.load(nameOrPath));
    }

    /** Bundled names, for messages. */
    static String bundled() {
        return String.join(", ", bundledNames());
    }

    /** Every bundled model's name: the UNets, then PixArt, SD3 and Flux. */
    static List<String> bundledNames() {
        List<String> all = new ArrayList<>(UNetConfig.BUNDLED);
        all.addAll(PixArtConfig.BUNDLED);
        all.addAll(SD3Config.BUNDLED);
        all.addAll(FluxConfig.BUNDLED);
        return all;
    }

    /** A UserError, naming every bundled model and the closest, unless {@code nameOrPath} is bundled or a file. */
    private static void requireKnown(String nameOrPath) {
        List<String> names = bundledNames();
        if (names.contains(nameOrPath)) return;
        try {
            if (Files.exists(Path.of(nameOrPath))) return;
        } catch (InvalidPathException e) {
            // not a path either
        }
        throw new UserError("model '" + nameOrPath + "' is neither a bundled model (" + String.join(", ", names)
                + ") nor an existing config.json" + Suggest.hint(nameOrPath, names));
    }

    String name();

    /** Its diffusers class ({@code UNet2DConditionModel}, {@code PixArtTransformer2DModel}): the model family reports chart apart. */
    String modelClass();

    /** Latent channels the loop samples. */
    int inChannels();

    /** Channels of the noise prediction the loop steps with (learned-variance channels excluded). */
    int noiseChannels();

    /** The model's native image side in pixels (sample_size x 8). */
    int nativeResolution();

    /** Image sides must be multiples of this many pixels. */
    int sizeMultiple();

    /** The latent grid {height, width} for an image size, or a UserError naming the multiple it needs. */
    int[] latentSize(ImageSize size);

    /** Whether the method leaves tokens on the grids it patches at this size. */
    boolean fits(TokenPatch method, ImageSize size);

    /**
     * The sampler {@code name} ({@value Scheduler#NAMES}) over {@code steps} steps for an image of
     * {@code size}, or, for a path to a diffusers scheduler_config.json, the scheduler it describes.
     */
    default Scheduler scheduler(String nameOrConfig, int steps, ImageSize size) {
        if (SchedulerConfig.isFile(nameOrConfig)) return scheduler(SchedulerConfig.read(Path.of(nameOrConfig)), steps, size);
        return namedScheduler(nameOrConfig, steps, size);
    }

    /**
     * The sampler {@code name} over {@code steps} steps for an image of {@code size}, as this model
     * samples without a config: on its training noise schedule with SD's settings, or, for a flow
     * model, Euler on its flow (Flux's shifted by the image's size); a UserError for one that does not apply.
     */
    Scheduler namedScheduler(String name, int steps, ImageSize size);

    /** The scheduler a checkpoint's scheduler config describes, for an image of {@code size}: a noise model refuses a flow's. */
    default Scheduler scheduler(SchedulerConfig config, int steps, ImageSize size) {
        if (config.className().equals(FlowMatchEulerScheduler.CLASS)) {
            throw new UserError(name() + " predicts noise, not a flow velocity: scheduler config " + config.file() + " ("
                    + config.className() + ") is for flow models (SD3, Flux)");
        }
        return Scheduler.fromConfig(config, steps, FlowMatchEulerScheduler.Pipeline.NONE);
    }

    /**
     * The sampler {@code name} overriding a checkpoint's scheduler config, as diffusers'
     * {@code Named.from_config(pipe.scheduler.config)} swaps it: the checkpoint's training schedule,
     * prediction type and spacing keys under the named algorithm (absent keys: its defaults).
     */
    default Scheduler scheduler(String name, SchedulerConfig checkpoint, int steps, ImageSize size) {
        return scheduler(checkpoint.as(Scheduler.className(name, checkpoint)), steps, size);
    }

    /** The sampler a run uses when none is named: ddim, or euler for a flow model. */
    default String defaultScheduler() {
        return "ddim";
    }

    /** How it takes a requested guidance scale: classifier-free unless the model says otherwise. */
    default Guidance guidance(double scale) {
        return Guidance.classifierFree(scale);
    }

    /**
     * Seeded prompt states (seed + 1) of {@link #textTokens()} tokens and the model's other conditioning,
     * the one convention for every command and cell.
     */
    Conditioning seededConditioning(ImageSize size, long seed);

    /**
     * A prompt's conditioning fitted to this model: its widths checked (a UserError naming the
     * tensor), what the model does not take dropped (a pooled embedding for SD 1.x, masks for all
     * but PixArt) and what it takes besides added (SDXL's size ids; PixArt's masks, all ones when
     * absent). The prompt may have any length: build the graphs with {@link #withTextTokens}.
     */
    Conditioning fit(Conditioning prompt, ImageSize size, long seed);

    /** Prompt {@code index} of an embeddings file ({@link Conditioning#read}), fitted to this model. */
    default Conditioning readConditioning(Path file, int index, ImageSize size, long seed) {
        return fit(Conditioning.read(file, index), size, seed);
    }

    /** The prompt length its graphs take: the seeded draw's (77 CLIP tokens; PixArt 300, SD3 333, Flux 512) unless set. */
    int textTokens();

    /** The same model for prompts of {@code tokens} tokens (a prompt's {@link Conditioning#tokens()}). */
    Denoiser withTextTokens(int tokens);

    /** The patched model at one size and batch, for {@link #textTokens()} prompt tokens; weights null builds shapes only. */
    default OnnxModel build(ImageSize size, int batch, TokenPatch patch, WeightSource weights) {
        return build(size, batch, patch, GraphForm.WHOLE, weights);
    }

    /** As above, in one of the forms the network offers ({@link GraphForm}); a UserError for one it does not. */
    OnnxModel build(ImageSize size, int batch, TokenPatch patch, GraphForm form, WeightSource weights);

    /** A UserError unless the loop can sample with it: the noise it predicts has the channels it takes. */
    default void checkSamples() {
        if (inChannels() != noiseChannels()) {
            throw new UserError(name() + " takes " + inChannels() + " channels and predicts " + noiseChannels()
                    + ": text-to-image sampling needs them equal (inpainting UNets are not supported)");
        }
    }

    /** A UserError unless a VAE with this many latent channels decodes what it samples. */
    default void checkVae(int latentChannels) {
        if (latentChannels != inChannels()) {
            throw new UserError("the VAE takes " + latentChannels + " latent channels, " + name() + " samples " + inChannels());
        }
    }

    /** Every weight it needs, name to shape (no weights are made). */
    Map<String, long[]> expectedWeights();

    /**
     * Its attention modules, by diffusers name, in the order it runs them: what {@link
     * GraphForm.ModuleOutputs} can carry across steps. None unless the network offers that form.
     */
    default java.util.List<AttentionModule> attentionModules() {
        return java.util.List.of();
    }

    /** Tensors a checkpoint saves besides the parameters (buffers), name to shape; none by default. */
    default Map<String, long[]> savedBuffers() {
        return Map.of();
    }
}
