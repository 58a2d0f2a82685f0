package org.attnbench.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --set and --scale: edits to a sweep config before it is read, the same for 'run' and 'validate'. */
final class ConfigEdits {
    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Replace a config value before it is read, e.g. --set devices=cpu --set timing.iterations=3.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1",
            description = "Multiply every grid and resolution by F (e.g. 0.25 runs a GPU-sized sweep on a CPU).")
    double scale;

    boolean any() {
        return scale != 1 || !overrides.isEmpty();
    }
}
