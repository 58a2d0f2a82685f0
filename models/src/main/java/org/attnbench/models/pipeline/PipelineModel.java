package org.attnbench.models.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.diffusion.SchedulerConfig;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.vae.VaeConfig;

/**
 * What a denoising run reads from a pipeline folder, as diffusers' {@code from_pretrained} loads it:
 * the denoiser's config and weights ({@code unet/} or {@code transformer/}), the VAE
 * ({@code vae/}) and the scheduler ({@code scheduler/scheduler_config.json}), each in the folder's
 * weights variant (or the one variant a component holds). {@link #open} checks every part it is
 * asked for (listed in model_index.json, of a class attnbench loads, its config readable, its
 * weights found), so a missing or unsupported component is refused by name before anything runs.
 */
public final class PipelineModel {
    private final PipelineFolder folder;

    private PipelineModel(PipelineFolder folder) {
        this.folder = folder;
    }

    /**
     * The pipeline at {@code root} in weights {@code variant} (null: the plain files), its denoiser
     * and scheduler checked, and its VAE when {@code vae} is set.
     */
    public static PipelineModel open(Path root, String variant, boolean vae) {
        PipelineFolder folder = PipelineFolder.open(root, variant);
        List<String> parts = new ArrayList<>(List.of(folder.denoiser(), "scheduler"));
        if (vae) parts.add("vae");
        folder.require(parts);
        PipelineModel model = new PipelineModel(folder);
        model.denoiser(BlockRange.ALL);
        folder.weights(folder.denoiser());
        SchedulerConfig.read(folder.schedulerConfig());
        if (vae) {
            VaeConfig.read(model.vae());
            folder.weights("vae");
        }
        return model;
    }

    public PipelineFolder folder() {
        return folder;
    }

    /** The denoiser's config.json (unet/ or transformer/). */
    public Path denoiserConfig() {
        return folder.file(folder.denoiser(), "config.json");
    }

    /** The denoiser, its method on {@code blocks} (a DiT's; a UNet takes all). */
    public Denoiser denoiser(BlockRange blocks) {
        return Denoiser.load(denoiserConfig().toString(), blocks);
    }

    /** The denoiser's weights file (a safetensors file or a sharded index) in the folder's variant. */
    public Path denoiserWeights() {
        return folder.weights(folder.denoiser());
    }

    /** The VAE's folder (config.json beside its weights). */
    public Path vae() {
        return folder.component("vae");
    }

    /** The VAE's weights file in the folder's variant. */
    public Path vaeWeights() {
        return folder.weights("vae");
    }

    /** scheduler/scheduler_config.json, read strictly. */
    public SchedulerConfig scheduler() {
        return SchedulerConfig.read(folder.schedulerConfig());
    }

    /**
     * The scheduler a run samples with: the folder's own config when {@code nameOrConfig} is null,
     * another scheduler_config.json when it is one, else the named algorithm over the folder's config
     * (its training schedule and prediction type), as diffusers' {@code Named.from_config} swaps it.
     */
    public Scheduler sampler(Denoiser model, String nameOrConfig, int steps, ImageSize size) {
        if (nameOrConfig != null && SchedulerConfig.isFile(nameOrConfig)) return model.scheduler(nameOrConfig, steps, size);
        return nameOrConfig == null ? model.scheduler(scheduler(), steps, size) : model.scheduler(nameOrConfig, scheduler(), steps, size);
    }

    /** The scheduler config's path. */
    public Path schedulerConfig() {
        return folder.schedulerConfig();
    }

    /** A short name for rows and reports: a Hugging Face cache snapshot's repository (owner/name), else the folder's name. */
    public String displayName() {
        return displayName(folder.root());
    }

    /** As {@link #displayName()}, from the path alone: {@code .../models--OWNER--NAME/snapshots/HASH} gives OWNER/NAME. */
    public static String displayName(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path repo = parent == null ? null : parent.getParent();
        if (parent != null && repo != null && parent.getFileName() != null && parent.getFileName().toString().equals("snapshots")
                && repo.getFileName() != null && repo.getFileName().toString().startsWith("models--")) {
            return repo.getFileName().toString().substring("models--".length()).replace("--", "/");
        }
        return abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
    }

    @Override
    public String toString() {
        return folder.toString();
    }
}
