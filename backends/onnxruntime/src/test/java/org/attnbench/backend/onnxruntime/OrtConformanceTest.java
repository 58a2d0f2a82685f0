package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Device;
import org.attnbench.backend.conformance.ConformanceCase;
import org.attnbench.backend.conformance.ConformanceResult;
import org.attnbench.backend.conformance.ConformanceRunner;
import org.junit.jupiter.api.Test;

/** The ONNX backend node tests (Debian's libonnx-testdata 1.12) that fall inside the supported subset. */
class OrtConformanceTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    /**
     * Cases where ONNX Runtime and this test data disagree for reasons outside attnbench: stale
     * expected values, a model that contradicts its own data, and one place where ORT reads the
     * Resize spec differently from the reference implementation. They are printed, not counted.
     */
    private static final Map<String, String> KNOWN_DEVIATIONS = Map.of(
            "test_cast_FLOAT_to_BFLOAT16", "expected values were made by truncating; ORT rounds to nearest even",
            "test_castlike_BFLOAT16_to_FLOAT_expanded", "the model declares 'like' as [3, 4], the data feeds [1]",
            "test_castlike_FLOAT_to_BFLOAT16_expanded", "the model declares 'like' as [3, 4], the data feeds [1]",
            "test_resize_downsample_scales_cubic_align_corners",
                    "ORT aligns corners on the integer output size, the reference on in*scale",
            "test_resize_downsample_scales_linear_align_corners",
                    "ORT aligns corners on the integer output size, the reference on in*scale");

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
        failures.forEach(f -> System.out.println(f + (KNOWN_DEVIATIONS.containsKey(f.name())
                ? " [known deviation: " + KNOWN_DEVIATIONS.get(f.name()) + "]" : "")));
        assertEquals(List.of(), failures.stream().filter(f -> !KNOWN_DEVIATIONS.containsKey(f.name())).toList(), summary);
        long passed = results.stream().filter(r -> r.status() == ConformanceResult.Status.PASS).count();
        assertTrue(passed >= 250, "only " + passed + " cases passed: " + summary);
    }
}
