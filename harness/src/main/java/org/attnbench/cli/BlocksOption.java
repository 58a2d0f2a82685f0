package org.attnbench.cli;

import org.attnbench.models.dit.BlockRange;
import picocli.CommandLine.Option;

/** --blocks, the transformer blocks of a DiT that the variant patches. */
final class BlocksOption {
    @Option(names = "--blocks", defaultValue = "all", paramLabel = "all|FIRST-LAST",
            description = "A DiT's transformer blocks the variant patches: all (default) or FIRST-LAST counted from 0 "
                    + "(e.g. 0-13); a UNet takes all (it patches by level).")
    String blocks;

    BlockRange range() {
        return BlockRange.parse(blocks);
    }
}
