package org.attnbench.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.cli.Main;
import org.attnbench.core.UserError;
import org.attnbench.schemas.SchemaCheck;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMergeTest {
    static final String CONFIG = """
            name: sharded
            backends: [onnxruntime]
            workloads:
              - attention: {grids: [4x4, 6x6, 8x8], channels: 16, heads: 2}
            variants: [dense, "todo:factor=2"]
            timing: {warmup: 0, iterations: 2, forks: 0}
            ceilings: false
            """;

    @Test
    void shardsPartitionTheCellsAndMergeIntoTheWholeRun(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sharded.yaml");
        Files.writeString(config, CONFIG);
        for (int i = 1; i <= 2; i++) {
            assertEquals(0, Main.execute("run", config.toString(), "--shard", i + "/2", "--out", dir.resolve("s" + i).toString()));
        }
        List<ResultRow> s1 = RunFolder.open(dir.resolve("s1")).rows();
        List<ResultRow> s2 = RunFolder.open(dir.resolve("s2")).rows();
        assertEquals(4, s1.size(), "groups 4x4 and 8x8");
        assertEquals(2, s2.size(), "group 6x6");
        assertEquals("1/2", RunFolder.open(dir.resolve("s1")).manifest().shard());
        // every variant shares its shard with its reference
        for (ResultRow r : s1) assertTrue(r.cell().referenceId() == null || r.speedup().ratio() > 0, r.cell().id());

        assertEquals(0, Main.execute("merge", dir.resolve("s1").toString(), dir.resolve("s2").toString(), "-o",
                dir.resolve("merged").toString()));
        RunFolder merged = RunFolder.open(dir.resolve("merged"));
        assertEquals(6, merged.rows().size());
        assertEquals(6, Files.readAllLines(merged.dir().resolve(RunFolder.ROWS_JSONL)).size());
        assertEquals(2, merged.manifest().mergedFrom().size());
        assertEquals(6, SchemaCheck.assertRunValid(merged.dir()), "a merged run holds to the schemas");
        SchemaCheck.assertRunValid(dir.resolve("s1"));
        for (ResultRow r : merged.rows()) assertTrue(Files.exists(merged.dir().resolve(r.files().get("jmh"))));

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        UserError twice = assertThrows(UserError.class,
                () -> RunMerge.merge(List.of(dir.resolve("s1"), dir.resolve("s1")), dir.resolve("m2"), quiet));
        assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
        Files.writeString(config, CONFIG.replace("iterations: 2", "iterations: 3"));
        assertEquals(0, Main.execute("run", config.toString(), "--shard", "2/2", "--out", dir.resolve("other").toString()));
        UserError other = assertThrows(UserError.class,
                () -> RunMerge.merge(List.of(dir.resolve("s1"), dir.resolve("other")), dir.resolve("m3"), quiet));
        assertTrue(other.getMessage().contains("another config"), other.getMessage());
    }
}
