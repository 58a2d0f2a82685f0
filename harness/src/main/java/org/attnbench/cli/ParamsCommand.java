package org.attnbench.cli;

import java.util.Arrays;
import java.util.Map;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.dit.FluxConfig;
import org.attnbench.models.dit.FluxWeights;
import org.attnbench.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Counts a model's parameters from its config alone: the weights its graph would ask for. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Print a UNet's or a DiT's parameter and tensor counts (diffusers names and shapes; no weights are "
                + "made). DiTs: pixart-sigma, pixart-sigma-2k, pixart-tiny, sd3-medium, sd3.5-medium, sd3.5-large, sd3-tiny, "
                + "flux-dev, flux-schnell, flux-tiny (counted, not yet run), or a PixArtTransformer2DModel, SD3Transformer2DModel or "
                + "FluxTransformer2DModel config.json.")
final class ParamsCommand implements Runnable {
    @Mixin
    ModelOption model;

    @Override
    public void run() {
        if (FluxConfig.isFlux(model.name())) { // counted, not yet built
            FluxConfig flux = FluxConfig.load(model.name());
            print(flux.name(), FluxWeights.parameters(flux));
            return;
        }
        Denoiser denoiser = model.denoiser();
        print(denoiser.name(), denoiser.expectedWeights());
        denoiser.savedBuffers().forEach((name, shape) -> System.out.println("  and the saved buffer " + name + " "
                + Arrays.toString(shape) + " (" + HostTensor.numel(shape) + " values)"));
    }

    private static void print(String name, Map<String, long[]> weights) {
        long parameters = weights.values().stream().mapToLong(HostTensor::numel).sum();
        System.out.println(name + ": " + parameters + " parameters in " + weights.size() + " tensors");
    }
}
