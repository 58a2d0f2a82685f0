package org.attnbench.workloads;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.models.unet.ImageSize;

/**
 * What a sweep runs the variants on: one self-attention block, or a whole UNet's or DiT's
 * denoising loop. Its cells name their kind through {@link Point#kind}.
 */
public sealed interface Workload {
    /**
     * The self-attention sub-block of a transformer block at full latent resolution, on each grid.
     *
     * @param grids latent grids {@code HxW} (8 pixels per latent: 64x64 is a 512 px image)
     * @param channels hidden size (SD 1.5 level 1: 320)
     * @param heads attention heads (SD 1.5: 8)
     * @param batch batch of one run
     * @param inputs {@code synthetic} (the default: token maps from seeded images with a natural
     *     image's 1/f spectrum, made here), {@code photos} (from Debian's mate-backgrounds
     *     photographs) or {@code gaussian} (seeded noise: no spatial redundancy, the worst case)
     */
    record Attention(List<String> grids, int channels, int heads, int batch, String inputs) implements Workload {}

    /**
     * A denoiser (a diffusers UNet, PixArt, SD3 or Flux transformer), with the variant patched into its transformer
     * blocks, sampling one image per timed run.
     *
     * @param model bundled name (sd15, sd21, sdxl, tiny; pixart-sigma, pixart-sigma-2k, pixart-tiny)
     *     or a diffusers config.json
     * @param weights a diffusers safetensors checkpoint, or null for seeded random weights
     * @param resolutions image sizes in pixels (a side for a square, or width x height)
     * @param steps denoising steps of one image
     * @param scheduler ddim, euler, euler-ancestral, pndm or dpm++2m, or a diffusers scheduler_config.json
     * @param guidance classifier-free guidance scale (above 1 runs batch 2)
     * @param vae an AutoencoderKL folder whose decoder turns the fidelity samples' latents into
     *     images (untimed), or null to compare latents
     * @param blocks a DiT's transformer blocks the method patches (all for a UNet)
     * @param pipeline a diffusers pipeline folder the model, weights, VAE and scheduler come from (then
     *     {@code model} is its denoiser's config.json, {@code weights} its weights file, {@code vae} its
     *     vae/ folder, and {@code scheduler} a name overriding its scheduler config, or null for that
     *     config), or null
     * @param weightsVariant the pipeline's weights variant (fp16: {@code *.fp16.safetensors}), or null
     */
    record Denoising(String model, Path weights, List<ImageSize> resolutions, int steps, String scheduler, double guidance,
            Path vae, BlockRange blocks, Path pipeline, String weightsVariant) implements Workload {

        /** A model without a pipeline folder. */
        public Denoising(String model, Path weights, List<ImageSize> resolutions, int steps, String scheduler, double guidance,
                Path vae, BlockRange blocks) {
            this(model, weights, resolutions, steps, scheduler, guidance, vae, blocks, null, null);
        }

        /** The method on every block. */
        public Denoising(String model, Path weights, List<ImageSize> resolutions, int steps, String scheduler, double guidance,
                Path vae) {
            this(model, weights, resolutions, steps, scheduler, guidance, vae, BlockRange.ALL);
        }

        /** The pipeline folder's parts, checked; null without one. */
        public PipelineModel pipelineModel() {
            return pipeline == null ? null : PipelineModel.open(pipeline, weightsVariant, true);
        }

        /**
         * The scheduler of its cells at {@code size}: the named one, or a scheduler_config.json; with a
         * pipeline, its own scheduler config, or a name over it (the checkpoint's training schedule and
         * prediction type under the named algorithm, as diffusers' {@code from_config} swaps schedulers).
         */
        public Scheduler sampler(Denoiser model, ImageSize size) {
            return pipeline == null ? model.scheduler(scheduler, steps, size) : pipelineModel().sampler(model, scheduler, steps, size);
        }

        /** The VAE's weights file (the pipeline's, in its variant) or folder, or null without a VAE. */
        public Path vaeWeights() {
            if (vae == null) return null;
            return pipeline == null ? vae : pipelineModel().vaeWeights();
        }

        /** What rows call the model: the pipeline's name (a Hugging Face cache snapshot's repository), or the model as written. */
        public String modelName() {
            return pipeline == null ? model : PipelineModel.displayName(pipeline);
        }

        /** The model, its method on {@link #blocks}. */
        public Denoiser denoiser() {
            return Denoiser.load(model, blocks);
        }
    }
}
