package org.attnbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs written before rows carried a schema version (version 1: no {@code schema_version}, no
 * {@code model_class}, no {@code params}) still load, with what they lack filled in as documented.
 */
class OldRunsTest {
    static final Path V1 = Path.of("src/test/resources/v1");

    @Test
    void versionOneRowsAndManifestLoad() {
        List<ResultRow> rows = RowsFile.read(V1);
        assertEquals(4, rows.size());
        ResultRow todo = rows.stream().filter(r -> r.cell().variant().startsWith("todo:")).findFirst().orElseThrow();
        assertEquals(Map.of("factor", "2", "method", "nearest-exact"), todo.cell().params(), "taken from the spec");
        assertTrue(todo.speedup().ratio() > 1 && todo.timing().samplesMs().size() > 10);
        ResultRow unet = rows.stream().filter(r -> r.cell().workload() == WorkloadKind.DENOISING).findFirst().orElseThrow();
        assertNull(unet.cell().modelClass());
        assertEquals(CellInfo.UNET_CLASS, unet.cell().modelFamily(), "read as a UNet");
        RunManifest m = RunFolder.readManifest(V1);
        assertEquals("gate", m.name());
        assertEquals(1, m.sessions().size());
    }
}
