package org.attnbench.cli;

import java.util.Arrays;
import java.util.Map;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.dit.SD3Config;
import org.attnbench.models.dit.SD3Weights;
import org.attnbench.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Counts a model's parameters from its config alone: the weights its graph would ask for. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Print a UNet's or a DiT's parameter and tensor counts (diffusers names and shapes; no weights are "
                + "made). DiTs: pixart-sigma, pixart-sigma-2k, pixart-tiny, sd3-medium, sd3.5-medium, sd3.5-large, sd3-tiny, or "
                + "a PixArtTransformer2DModel or SD3Transformer2DModel config.json.")
final class ParamsCommand implements Runnable {
    @Mixin
    ModelOption model;

    @Override
    public void run() {
        if (SD3Config.isSD3(model.name())) {
            SD3Config sd3 = SD3Config.load(model.name());
            print(sd3.name(), SD3Weights.parameters(sd3));
            SD3Weights.buffers(sd3).forEach((name, shape) -> System.out.println("  and the saved buffer " + name + " "
                    + Arrays.toString(shape) + " (" + HostTensor.numel(shape) + " values)"));
            return;
        }
        Denoiser denoiser = model.denoiser();
        print(denoiser.name(), denoiser.expectedWeights());
    }

    private static void print(String name, Map<String, long[]> weights) {
        long parameters = weights.values().stream().mapToLong(HostTensor::numel).sum();
        System.out.println(name + ": " + parameters + " parameters in " + weights.size() + " tensors");
    }
}
