package org.attnbench.cli;

import picocli.CommandLine.Option;

/** --seed, the same in every command: it seeds everything the command draws at random. */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of everything drawn at random: weights, inputs, latents, subsets (default ${DEFAULT-VALUE}).")
    long seed;
}
