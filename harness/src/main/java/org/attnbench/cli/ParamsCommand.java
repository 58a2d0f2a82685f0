package org.attnbench.cli;

import java.util.Map;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Counts a model's parameters from its config alone: the weights its graph would ask for. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Print a UNet's or a DiT's parameter and tensor counts (diffusers names and shapes; no weights are "
                + "made). DiTs: pixart-sigma, pixart-sigma-2k, pixart-tiny, or a PixArtTransformer2DModel config.json.")
final class ParamsCommand implements Runnable {
    @Mixin
    ModelOption model;

    @Override
    public void run() {
        Denoiser denoiser = model.denoiser();
        Map<String, long[]> weights = denoiser.expectedWeights();
        long parameters = weights.values().stream().mapToLong(HostTensor::numel).sum();
        System.out.println(denoiser.name() + ": " + parameters + " parameters in " + weights.size() + " tensors");
    }
}
