package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FidCommandTest {
    static Path features(Path dir, String name, int n, int d, double shift, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() + shift);
        Path file = dir.resolve(name);
        Safetensors.write(file, Map.of("features", HostTensor.of(v, n, d)));
        return file;
    }

    @Test
    void printsFidAndKid(@TempDir Path dir) {
        Path a = features(dir, "a.safetensors", 300, 4, 0, 1);
        Path b = features(dir, "b.safetensors", 300, 4, 1, 2);
        CliRun run = CliRun.of("fid", "--features-a", a.toString(), "--features-b", b.toString(), "--kid-subsets", "10", "--kid-subset-size", "100");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertEquals("extractor: not recorded in the feature files; the score is FID-like, not comparable with published FID",
                lines.get(0));
        double fid = Double.parseDouble(lines.get(1).substring("fid: ".length()));
        assertEquals(4.0, fid, 0.6); // |shift|^2 * D = 4, covariances alike
        assertTrue(lines.get(2).matches("kid: \\S+ \\+- \\S+"), run.out());
    }

    @Test
    void mismatchedWidthsAndTooFewRowsAreOneLine(@TempDir Path dir) {
        Path a = features(dir, "a.safetensors", 10, 4, 0, 1);
        Path b = features(dir, "b.safetensors", 10, 3, 0, 2);
        CliRun wide = CliRun.of("fid", "--features-a", a.toString(), "--features-b", b.toString());
        assertEquals(Main.EXIT_USER_ERROR, wide.exitCode());
        assertEquals(List.of("error: feature sets have different widths: 4 and 3 (were they made by the same extractor?)"), wide.errLines());
        Path one = features(dir, "one.safetensors", 1, 4, 0, 3);
        CliRun few = CliRun.of("fid", "--features-a", one.toString(), "--features-b", a.toString());
        assertEquals(Main.EXIT_USER_ERROR, few.exitCode());
        assertTrue(few.errLines().get(0).contains("has 1 feature rows; at least 2 are needed"), few.err());
    }
}
