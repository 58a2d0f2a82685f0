package org.attnbench.cli;

import org.attnbench.methods.Variant;
import picocli.CommandLine.Option;

/** --variant, the attention method a command plugs in, read as a spec. */
final class VariantOption {
    @Option(names = "--variant", defaultValue = "dense", paramLabel = "SPEC",
            description = "dense, dense:kernel=fused, todo:factor=2, tome:ratio=0.5, ... (default ${DEFAULT-VALUE}).")
    private String spec;

    /** The parsed spec; a malformed one is a one-line error naming the key. */
    Variant spec() {
        return Variant.parse(spec);
    }
}
