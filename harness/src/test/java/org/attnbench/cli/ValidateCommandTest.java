package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Malformed configs (test resources configs/bad, each with the message it must give on its first line) and valid ones. */
class ValidateCommandTest {
    static final Path BAD = Path.of("src/test/resources/configs/bad");
    static final String EXPECT = "# expect: ";

    @TestFactory
    Stream<DynamicTest> eachMalformedConfigGivesItsOneLineMessage() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(BAD)) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() >= 20, "at least twenty malformed configs, found " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String first = Files.readAllLines(f).get(0);
            assertTrue(first.startsWith(EXPECT), f + " must start with '" + EXPECT + "'");
            CliRun run = CliRun.of("validate", f.toString());
            run.assertOneErrorLine(first.substring(EXPECT.length()));
            assertTrue(run.errLines().get(0).startsWith("error: " + f), "the line names the file: " + run.err());
        }));
    }

    @Test
    void severalProblemsAreAllReportedOnePerLine(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, """
                backends: [djll]
                workloads:
                  - attention: {grids: [8x8]}
                variants: [dense, "tome:ratio=0.9"]
                timing: {iterations: -1}
                """);
        CliRun run = CliRun.of("validate", c.toString());
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(3, run.errLines().size(), run.err());
        assertTrue(run.errLines().stream().allMatch(l -> l.startsWith("error: " + c + ":")), run.err());
        assertTrue(run.err().contains(c + ":1:12: backends[0]: unknown backend 'djll' (did you mean 'djl'?)"), run.err());
    }

    @Test
    void bundledConfigsAreValid() {
        for (String name : List.of("quickstart", "gate", "level1")) {
            CliRun run = CliRun.of("validate", "--quiet", "../configs/" + name + ".yaml");
            assertEquals(0, run.exitCode(), name + ": " + run.err());
            assertTrue(run.out().startsWith("ok: "), run.out());
        }
        for (String gpu : List.of("paper-table1", "gpu-smoke", "methods", "methods-dit")) {
            CliRun run = CliRun.of("validate", "--quiet", "--skip-devices", "../configs/" + gpu + ".yaml");
            assertEquals(0, run.exitCode(), gpu + ": " + run.err());
            assertTrue(run.out().startsWith("ok: "), run.out());
        }
    }

    @Test
    void theGpuSmokeConfigIsRefusedWithoutCudaOneLinePerBackendNamingWhatIsMissing() {
        assumeFalse(Files.isDirectory(Path.of("/proc/driver/nvidia")), "this machine has an NVIDIA driver");
        String config = "../configs/gpu-smoke.yaml";
        CliRun run = CliRun.of("validate", config);
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode(), run.out() + run.err());
        assertEquals(2, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).startsWith("error: " + config + ": onnxruntime cannot use cuda:0: missing the NVIDIA"
                + " driver (no kernel module"), run.err());
        assertTrue(run.errLines().get(0).contains("; cuDNN 9 for CUDA 12 (libcudnn.so.9 not found"), run.err());
        assertTrue(run.errLines().get(1).startsWith("error: " + config + ": djl cannot use cuda:0: missing the NVIDIA driver"),
                run.err());
        assertTrue(run.errLines().get(1).contains("; libtorch for CUDA ("), run.err());
        assertTrue(run.errLines().stream().allMatch(l -> l.endsWith("remove cuda:0 from 'devices' or run on a machine that has"
                + " it")), run.err());
        assertEquals("", run.out(), "no cells listed for a config this machine cannot run");
    }

    @Test
    void validConfigListsItsCellsWithReferencesAddedAndExclusionsApplied(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, """
                backends: [onnxruntime, djl]
                workloads:
                  - attention: {grids: [8x8, 16x16]}
                variants: ["todo:factor=2", "dense:kernel=fused"]
                exclude:
                  - {backend: djl, grid: 16x16}
                """);
        CliRun run = CliRun.of("validate", c.toString());
        assertEquals(0, run.exitCode(), run.err());
        // ceilings: 2 backends x (gemm, copy); groups: onnxruntime 8x8, 16x16, djl 8x8; each dense + 2 variants
        assertTrue(run.out().contains("ok: " + c + " (c): 13 cells (4 ceilings), 3 groups"), run.out());
        assertTrue(run.out().contains("onnxruntime cpu float32 attention 16x16 dense"), run.out());
    }
}
