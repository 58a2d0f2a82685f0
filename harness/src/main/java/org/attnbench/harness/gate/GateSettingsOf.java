package org.attnbench.harness.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.reports.compare.GateSettings;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;

/** The gate settings a run was configured with (its config's {@code gate:} section), or the defaults. */
public final class GateSettingsOf {
    private GateSettingsOf() {}

    public static GateSettings run(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RunFolder.MANIFEST))) return GateSettings.DEFAULT;
        RunManifest m = RunFolder.readManifest(dir); // a run folder, or a baseline (its manifest and rows)
        return SweepConfigReader.parse(Path.of(m.configFile()), m.configText(), m.scale()).gate();
    }
}
