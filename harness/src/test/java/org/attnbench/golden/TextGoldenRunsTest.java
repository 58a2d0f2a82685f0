package org.attnbench.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.attnbench.cli.Main;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every run of {@code shared/golden/text} (diffusers v0.40's encode_prompt on small pipeline folders)
 * through {@code attnbench encode-prompts} with the run's own arguments, on both backends: every
 * expected tensor written with its name, shape and dtype, ids and masks equal, floats within 1e-4 of
 * the largest expected value, all-zero tensors exactly zero, and nothing else written.
 */
class TextGoldenRunsTest {
    private static final List<String> BACKENDS = List.of("onnxruntime", "djl");
    private static final double TOLERANCE = 1e-4;
    /** Arguments whose value is a path relative to the golden folder. */
    private static final Set<String> PATH_OPTIONS = Set.of("--pipeline", "--prompts");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyRunOnBothBackends() throws IOException {
        Path folder = GoldenCase.folder().resolve("text");
        if (!Files.isDirectory(folder)) {
            String message = "text golden runs not found at " + folder + ": they live in shared/golden/text beside the checkout"
                    + " (or pass -D" + GoldenCase.PROPERTY + "=DIR)";
            if (System.getenv(GoldenCase.CI) != null) fail(message);
            Assumptions.abort(message);
        }
        List<Path> runs;
        try (Stream<Path> dirs = Files.list(folder)) {
            runs = dirs.filter(d -> d.getFileName().toString().startsWith("run-")).sorted().toList();
        }
        assertFalse(runs.isEmpty(), "no run-* folder under " + folder);
        return runs.stream().flatMap(run -> BACKENDS.stream()
                .map(b -> dynamicTest(run.getFileName() + " on " + b, () -> check(folder, run, b))));
    }

    private void check(Path folder, Path run, String backend) throws IOException {
        List<String> args = new ArrayList<>(List.of("encode-prompts"));
        List<String> given = arguments(run);
        for (int i = 0; i < given.size(); i++) {
            String value = given.get(i);
            args.add(i > 0 && PATH_OPTIONS.contains(given.get(i - 1)) ? folder.resolve(value).normalize().toString() : value);
        }
        Path out = tmp.resolve(run.getFileName() + "-" + backend + ".safetensors");
        args.addAll(List.of("--backend", backend, "-o", out.toString()));
        assertEquals(0, Main.execute(args.toArray(String[]::new)), run.getFileName() + ": encode-prompts failed");

        Map<String, HostTensor> expected = Safetensors.read(run.resolve("expected.safetensors"));
        Map<String, HostTensor> actual = Safetensors.read(out);
        assertEquals(expected.keySet(), actual.keySet(), run.getFileName() + ": the tensors written");
        for (Map.Entry<String, HostTensor> e : expected.entrySet()) {
            String what = run.getFileName() + " on " + backend + ": " + e.getKey();
            HostTensor want = e.getValue();
            HostTensor got = actual.get(e.getKey());
            assertEquals(want.dtype(), got.dtype(), what + " dtype");
            assertArrayEquals(want.shape(), got.shape(), what + " shape");
            if (want.dtype() == DType.INT64) {
                assertArrayEquals(want.toLongs(), got.toLongs(), what);
                continue;
            }
            double[] w = want.toDoubles();
            double[] g = got.toDoubles();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < w.length; i++) {
                scale = Math.max(scale, Math.abs(w[i]));
                worst = Math.max(worst, Math.abs(g[i] - w[i]));
            }
            if (scale == 0) {
                assertEquals(0, worst, what + " must be exactly zero");
            } else {
                System.out.printf("text golden %s: relative error %.2e%n", what, worst / scale);
                assertTrue(worst / scale <= TOLERANCE, what + ": relative error " + worst / scale + " > " + TOLERANCE);
            }
        }
    }

    /** The run's arguments: NUL-separated, after "encode-prompts", without --backend and -o. */
    private static List<String> arguments(Path run) throws IOException {
        String text = Files.readString(run.resolve("args"), StandardCharsets.UTF_8);
        if (text.endsWith("\0")) text = text.substring(0, text.length() - 1);
        return List.of(text.split("\0", -1));
    }
}
