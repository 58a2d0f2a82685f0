package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceCommandTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    @Test
    void printsALinePerCaseAndTheTotalsLast() {
        assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed");
        CliRun run = CliRun.of("conformance", NODE_TESTS.toString(), "--backend", "onnxruntime",
                "--filter", "^test_(softmax_axis_0|nonzero_example)$");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("test_nonzero_example: skipped (op NonZero is outside the supported subset)",
                "test_softmax_axis_0: pass", "1 passed, 0 failed, 1 skipped"), run.outLines());
    }

    @Test
    void failingCaseExitsOne() {
        assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed");
        // The 1.12 data expects truncation where ONNX Runtime rounds: a real, stable failure.
        CliRun run = CliRun.of("conformance", NODE_TESTS.toString(), "--backend", "onnxruntime",
                "--filter", "^test_cast_FLOAT_to_BFLOAT16$");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.outLines().get(0).startsWith("test_cast_FLOAT_to_BFLOAT16: FAIL "), run.out());
        assertEquals("0 passed, 1 failed, 0 skipped", run.outLines().get(1));
    }

    @Test
    void unknownFolderIsAUserError(@TempDir Path dir) {
        CliRun run = CliRun.of("conformance", dir.resolve("missing").toString(), "--backend", "onnxruntime");
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(List.of("error: conformance folder not found: " + dir.resolve("missing")), run.errLines());
    }

    @Test
    void invalidFilterIsOneLine(@TempDir Path dir) {
        CliRun run = CliRun.of("conformance", dir.toString(), "--backend", "onnxruntime", "--filter", "(");
        assertEquals(Main.EXIT_USER_ERROR, run.exitCode());
        assertEquals(List.of("error: invalid --filter '(': Unclosed group near index 1"), run.errLines());
    }
}
