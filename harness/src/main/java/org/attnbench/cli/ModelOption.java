package org.attnbench.cli;

import java.nio.file.Path;
import org.attnbench.core.UserError;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.pipeline.PipelineModel;
import picocli.CommandLine.Option;

/** --model, the diffusers UNet or DiT a command builds, or --pipeline, a diffusers pipeline folder holding it. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "NAME|CONFIG.json",
            description = "sd15, sd21, sdxl, tiny, pixart-sigma, pixart-sigma-2k, pixart-tiny, sd3-medium, sd3.5-medium, "
                    + "sd3.5-large, sd3-tiny, or a diffusers UNet2DConditionModel, PixArtTransformer2DModel or "
                    + "SD3Transformer2DModel config.json (or give --pipeline).")
    private String model;

    @Option(names = "--pipeline", paramLabel = "DIR",
            description = "A diffusers pipeline folder (model_index.json at its root; a Hugging Face cache snapshot will do): "
                    + "the denoiser's config and weights from unet/ or transformer/, the VAE from vae/, the scheduler from "
                    + "scheduler/scheduler_config.json, the text encoders for --prompt.")
    Path pipeline;

    @Option(names = "--weights-variant", paramLabel = "NAME",
            description = "The pipeline's weights variant, e.g. fp16 (*.fp16.safetensors; default: the plain files, or the one "
                    + "variant a component holds).")
    String weightsVariant;

    /** The pipeline folder's denoiser and scheduler, with its VAE when {@code vae}, checked; null without --pipeline. */
    PipelineModel pipeline(boolean vae) {
        check();
        return pipeline == null ? null : PipelineModel.open(pipeline, weightsVariant, vae);
    }

    /** The UNet or DiT the name, path or pipeline gives. */
    Denoiser denoiser() {
        return denoiser(BlockRange.ALL);
    }

    /** The same, a DiT's method on the blocks given. */
    Denoiser denoiser(BlocksOption blocks) {
        return denoiser(blocks.range());
    }

    private Denoiser denoiser(BlockRange blocks) {
        PipelineModel p = pipeline(false);
        return p != null ? p.denoiser(blocks) : Denoiser.load(model, blocks);
    }

    /** The name or config path as given (a pipeline's denoiser config.json). */
    String name() {
        PipelineModel p = pipeline(false);
        return p != null ? p.denoiserConfig().toString() : model;
    }

    private void check() {
        if ((model == null) == (pipeline == null)) {
            throw new UserError(model == null ? "give the model: --model NAME|CONFIG.json, or --pipeline DIR"
                    : "--model and --pipeline both name the model: give one");
        }
        if (weightsVariant != null && pipeline == null) {
            throw new UserError("--weights-variant picks a pipeline folder's weights variant: give --pipeline DIR");
        }
    }
}
