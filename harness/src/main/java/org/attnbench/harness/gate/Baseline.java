package org.attnbench.harness.gate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.attnbench.core.UserError;
import org.attnbench.store.RunFolder;

/**
 * A committed baseline: the manifest and rows of one run, without its cell folders (samples and
 * fidelity values are in the rows; the outputs are not needed to compare).
 */
public final class Baseline {
    public static final Path DEFAULT = Path.of("results", "baselines", "gate");

    private Baseline() {}

    public static void require(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RunFolder.ROWS_JSONL))) {
            throw new UserError("no baseline at " + dir + " (no " + RunFolder.ROWS_JSONL
                    + "): take one with './attnbench gate --update-baseline'");
        }
    }

    /** Replaces the baseline with a run's manifest and rows. */
    public static void update(RunFolder run, Path dir) {
        try {
            Files.createDirectories(dir);
            for (String f : new String[] {RunFolder.MANIFEST, RunFolder.ROWS_JSONL, RunFolder.ROWS_CSV}) {
                Files.copy(run.dir().resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
