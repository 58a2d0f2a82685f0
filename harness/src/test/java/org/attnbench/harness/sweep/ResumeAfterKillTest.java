package org.attnbench.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.attnbench.cli.Main;
import org.attnbench.schemas.SchemaCheck;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL in the middle, its forked JVM included, then resumed: every cell is
 * recorded exactly once, and the cells recorded before the kill are kept as they were.
 */
class ResumeAfterKillTest {
    static final String CONFIG = """
            name: killed
            backends: [onnxruntime]
            workloads:
              - attention: {grids: [8x8, 10x10, 12x12], channels: 16, heads: 2}
            variants: [dense, "todo:factor=2"]
            timing: {warmup: 1, iterations: 3, forks: 1}
            ceilings: false
            """;

    @Test
    void killedRunResumesWithEveryCellExactlyOnce(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("killed.yaml");
        Files.writeString(config, CONFIG);
        Path out = dir.resolve("run");
        Process p = new ProcessBuilder(javaBinary(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", config.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        waitForRows(out, 2, p);
        // SIGKILL the whole tree: the forked JVM timing the current cell dies too.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        RunFolder run = RunFolder.open(out);
        Map<String, String> before = new HashMap<>();
        for (ResultRow r : run.rows()) {
            before.put(r.cell().id(), Files.readString(run.cellDir(r.cell().id()).resolve(RunFolder.ROW)));
        }
        assertTrue(before.size() >= 2 && before.size() < 6, "killed in the middle: " + before.size() + " of 6 recorded");
        assertTrue(run.manifest().finishedAt() == null, "an interrupted run has no end time");

        int code = Main.execute("run", "--resume", out.toString());
        assertEquals(0, code);

        run = RunFolder.open(out);
        List<ResultRow> rows = run.rows();
        assertEquals(6, rows.size());
        Set<String> ids = new HashSet<>();
        for (ResultRow r : rows) assertTrue(ids.add(r.cell().id()), "recorded twice: " + r.cell().id());
        List<String> jsonl = Files.readAllLines(out.resolve(RunFolder.ROWS_JSONL));
        assertEquals(6, jsonl.size());
        for (var e : before.entrySet()) {
            assertEquals(e.getValue(), Files.readString(run.cellDir(e.getKey()).resolve(RunFolder.ROW)),
                    "a cell recorded before the kill was not run again");
        }
        assertTrue(rows.stream().allMatch(ResultRow::ok));
        assertTrue(run.manifest().finishedAt() != null);
        assertEquals(6, SchemaCheck.assertRunValid(out), "a run killed and resumed holds to the schemas");
    }

    private static void waitForRows(Path out, int n, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(out.resolve(RunFolder.CELLS))) {
                try (var s = Files.walk(out.resolve(RunFolder.CELLS))) {
                    if (s.filter(f -> f.getFileName().toString().equals(RunFolder.ROW)).count() >= n) return;
                }
            }
            if (!p.isAlive()) throw new AssertionError("the run ended before it could be killed (exit " + p.exitValue() + ")");
            Thread.sleep(50);
        }
        throw new AssertionError("no " + n + " cells recorded within 3 minutes");
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
