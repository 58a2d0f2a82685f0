package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.TensorProtos;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
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
    void failingCaseExitsOneAndNamesTheLargestError(@TempDir Path dir) throws Exception {
        // A case of our own whose expected output is off by 0.5 in one element.
        Path caseDir = Files.createDirectories(dir.resolve("test_add_wrong").resolve("test_data_set_0"));
        GraphBuilder g = new GraphBuilder("add");
        Value x = g.input("x", DType.FLOAT32, 3);
        g.output("y", g.add(x, x));
        g.build().write(caseDir.getParent().resolve("model.onnx"));
        Files.write(caseDir.resolve("input_0.pb"), TensorProtos.toProto("x", HostTensor.of(new float[] {1, 2, 3}, 3)).toByteArray());
        Files.write(caseDir.resolve("output_0.pb"), TensorProtos.toProto("y", HostTensor.of(new float[] {2, 4.5f, 6}, 3)).toByteArray());
        CliRun run = CliRun.of("conformance", dir.toString(), "--backend", "onnxruntime");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.outLines().get(0).startsWith("test_add_wrong: FAIL test_data_set_0: y differs: largest error 0.5"), run.out());
        assertEquals("0 passed, 1 failed, 0 skipped", run.outLines().get(1));
    }

    @Test
    void staleTestDataIsSkippedWithTheReason() {
        assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed");
        CliRun run = CliRun.of("conformance", NODE_TESTS.toString(), "--backend", "onnxruntime",
                "--filter", "^test_(cast_FLOAT_to_BFLOAT16|castlike_FLOAT_to_BFLOAT16_expanded)$");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.outLines().get(0).startsWith("test_cast_FLOAT_to_BFLOAT16: skipped (test data: ONNX 1.12"), run.out());
        assertTrue(run.outLines().get(1).contains("skipped (test data: input 'like' is declared [3, 4]"), run.out());
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
