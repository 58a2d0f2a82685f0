package org.attnbench.workloads.denoising;

import java.util.function.Supplier;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.UNetDenoiser;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.SharedWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.methods.TokenMethod;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.unet.WeightSource;

/**
 * The graphs of a denoiser (UNet or diffusion transformer) a denoising loop runs: for a timestep (0..999 scale) and a batch size, the
 * effective patch there and how to build its graph. Timesteps whose patches describe alike share
 * one graph, so a ToDo schedule that switches method compiles each method once, and every graph is
 * built from the same weight tensors ({@link SharedWeights}), which each backend then holds once.
 */
@FunctionalInterface
public interface DenoiserGraphs {
    /** A patch description (equal descriptions mean equal graphs) and its graph, built on demand. */
    record Patched(String patch, Supplier<OnnxModel> graph) {}

    Patched at(double timestep, int batch);

    /** A diffusers UNet at one image size, the method's patch following its schedule ({@link TokenMethod#patchAt}). */
    static DenoiserGraphs of(UNetConfig config, ImageSize size, TokenMethod method, WeightSource source) {
        return of(new UNetDenoiser(config), size, method, source);
    }

    /** A UNet or a DiT at one image size, the method's patch following its schedule ({@link TokenMethod#patchAt}). */
    static DenoiserGraphs of(Denoiser model, ImageSize size, TokenMethod method, WeightSource source) {
        // One host tensor per weight for every graph, so the backends hold each weight once.
        WeightSource weights = SharedWeights.of(source);
        return (timestep, batch) -> {
            TokenPatch effective = method.patchAt(timestep);
            return new Patched(effective.describe(), () -> model.build(size, batch, effective, weights));
        };
    }
}
