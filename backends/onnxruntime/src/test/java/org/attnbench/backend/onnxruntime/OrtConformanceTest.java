package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.backend.Device;
import org.attnbench.backend.conformance.ConformanceCase;
import org.attnbench.backend.conformance.ConformanceResult;
import org.attnbench.backend.conformance.ConformanceRunner;
import org.junit.jupiter.api.Test;

/** The ONNX backend node tests (Debian's libonnx-testdata 1.12) that fall inside the supported subset. */
class OrtConformanceTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");


    @Test
    void passesEveryNodeTestInsideTheSubset() {
        assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed");
        long start = System.nanoTime();
        List<ConformanceResult> results = new ConformanceRunner(new OrtBackend(), Device.CPU)
                .runAll(ConformanceCase.discover(NODE_TESTS));
        String summary = ConformanceRunner.summary(results);
        System.out.printf("onnxruntime node conformance: %s (%.1f s)%n", summary, (System.nanoTime() - start) / 1e9);
        List<ConformanceResult> failures = results.stream()
                .filter(r -> r.status() == ConformanceResult.Status.FAIL).toList();
        assertEquals(List.of(), failures, summary);
        long passed = results.stream().filter(r -> r.status() == ConformanceResult.Status.PASS).count();
        assertTrue(passed >= 250, "only " + passed + " cases passed: " + summary);
    }
}
