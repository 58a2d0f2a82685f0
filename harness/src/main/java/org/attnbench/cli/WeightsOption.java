package org.attnbench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --weights, a UNet checkpoint; without it the weights are drawn from --seed. */
final class WeightsOption {
    @Option(names = "--weights", paramLabel = "PATH",
            description = "diffusers safetensors: a file, a sharded index .json, or their folder (default: seeded random).")
    Path path;
}
