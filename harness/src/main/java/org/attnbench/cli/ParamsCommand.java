package org.attnbench.cli;

import java.util.Map;
import org.attnbench.models.dit.PixArtConfig;
import org.attnbench.models.dit.PixArtGraph;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
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
        if (PixArtConfig.isPixArt(model.name())) {
            PixArtConfig config = PixArtConfig.load(model.name());
            print(config.name(), PixArtGraph.expectedWeights(config));
            return;
        }
        UNetConfig config = model.config();
        print(config.name(), UNetGraph.expectedWeights(config));
    }

    private static void print(String name, Map<String, long[]> weights) {
        long parameters = weights.values().stream().mapToLong(HostTensor::numel).sum();
        System.out.println(name + ": " + parameters + " parameters in " + weights.size() + " tensors");
    }
}
