package org.attnbench.cli;

import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Counts a UNet's parameters from its config alone: the weights its graph would ask for. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Print a UNet's parameter and tensor counts (diffusers names and shapes; no weights are made).")
final class ParamsCommand implements Runnable {
    @Mixin
    ModelOption model;

    @Override
    public void run() {
        UNetConfig config = model.config();
        var weights = UNetGraph.expectedWeights(config);
        long parameters = weights.values().stream().mapToLong(org.attnbench.tensor.HostTensor::numel).sum();
        System.out.println(config.name() + ": " + parameters + " parameters in " + weights.size() + " tensors");
    }
}
