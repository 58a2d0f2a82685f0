package org.attnbench.workloads.denoising;

import org.attnbench.graph.OnnxModel;
import org.attnbench.methods.StepGraph;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.UNetDenoiser;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.SharedWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.WeightSource;

/**
 * The graphs of a denoiser (UNet or diffusion transformer) a denoising loop runs: each {@link
 * StepGraph} a step plan asks for (a token method's patch in one form of the network), built for a
 * batch size. Every graph is built from the same weight tensors ({@link SharedWeights}), which each
 * backend then holds once.
 */
@FunctionalInterface
public interface DenoiserGraphs {
    OnnxModel build(StepGraph graph, int batch);

    /** A diffusers UNet at one image size. */
    static DenoiserGraphs of(UNetConfig config, ImageSize size, WeightSource source) {
        return of(new UNetDenoiser(config), size, source);
    }

    /** A UNet or a DiT at one image size. */
    static DenoiserGraphs of(Denoiser model, ImageSize size, WeightSource source) {
        // One host tensor per weight for every graph, so the backends hold each weight once.
        WeightSource weights = SharedWeights.of(source);
        return (graph, batch) -> model.build(size, batch, graph.patch(), graph.form(), weights);
    }
}
