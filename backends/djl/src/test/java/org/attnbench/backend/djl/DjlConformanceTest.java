package org.attnbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.backend.Device;
import org.attnbench.backend.conformance.ConformanceCase;
import org.attnbench.backend.conformance.ConformanceResult;
import org.attnbench.backend.conformance.ConformanceRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The ONNX backend node tests (Debian's libonnx-testdata) on the DJL backend, CPU. */
class DjlConformanceTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    @Test
    void onnxNodeTestsPass() {
        Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed");
        long start = System.nanoTime();
        List<ConformanceResult> results = new ConformanceRunner(new DjlBackend(), Device.CPU)
                .runAll(ConformanceCase.discover(NODE_TESTS));
        String summary = ConformanceRunner.summary(results);
        System.out.printf("DJL conformance: %s in %.1f s%n", summary, (System.nanoTime() - start) / 1e9);
        List<ConformanceResult> failed = results.stream()
                .filter(r -> r.status() == ConformanceResult.Status.FAIL).toList();
        if (System.getProperty("conformance.verbose") != null) results.forEach(System.out::println);
        failed.forEach(System.out::println);
        assertEquals(List.of(), failed, summary);
        long passed = results.stream().filter(r -> r.status() == ConformanceResult.Status.PASS).count();
        assertTrue(passed >= 250, summary);
    }
}
