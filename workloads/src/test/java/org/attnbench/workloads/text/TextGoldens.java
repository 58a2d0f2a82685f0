package org.attnbench.workloads.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Assumptions;

/** The public golden cases of {@code ../shared/golden/text} (made by diffusers' encode_prompt on transformers' rules) and how the tests compare with them. */
final class TextGoldens {
    /** The environment variable CI sets; without the cases there, the suite fails instead of skipping. */
    static final String CI = "CI";
    /** Overrides where the golden cases are looked for (the folder holding {@code text/}), as for the UNet cases. */
    static final String PROPERTY = "attnbench.golden";
    /** The goldens' bar: max |actual - expected| over max |expected|. */
    static final double TOLERANCE = 1e-4;

    private TextGoldens() {}

    /** The text cases' folder, or the test aborted (failed under CI) when it is not there. */
    static Path folder() {
        String override = System.getProperty(PROPERTY);
        Path golden;
        if (override != null) {
            golden = Path.of(override);
        } else {
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            // The checkout's root is the topmost folder with a pom.xml (tests run in a module folder).
            while (dir.getParent() != null && Files.exists(dir.getParent().resolve("pom.xml"))) dir = dir.getParent();
            golden = dir.resolveSibling("shared").resolve("golden");
        }
        Path text = golden.resolve("text");
        if (!Files.isDirectory(text)) {
            String message = "text golden cases not found at " + text + ": they live in shared/golden/text beside the "
                    + "checkout (or pass -D" + PROPERTY + "=DIR)";
            if (System.getenv(CI) != null) fail(message);
            Assumptions.abort(message);
        }
        return text;
    }

    static Map<String, HostTensor> expected(Path folder, String run) {
        return Safetensors.read(folder.resolve(run).resolve("expected.safetensors"));
    }

    /** Rows of an int64 [P, L] tensor. */
    static long[][] rows(HostTensor t) {
        int p = (int) t.shape()[0];
        int l = (int) t.shape()[1];
        long[] flat = t.toLongs();
        long[][] out = new long[p][];
        for (int i = 0; i < p; i++) out[i] = Arrays.copyOfRange(flat, i * l, (i + 1) * l);
        return out;
    }

    /** Same shape, and max |actual - expected| <= tolerance x max |expected| (exactly equal when expected is all zeros). */
    static void assertClose(HostTensor expected, HostTensor actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubles();
        double[] a = actual.toDoubles();
        double scale = 0;
        double worst = 0;
        int at = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            double err = Math.abs(a[i] - e[i]);
            if (Double.isNaN(err)) fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            if (err > worst) {
                worst = err;
                at = i;
            }
        }
        if (!(worst <= tolerance * scale)) {
            fail(what + ": element " + at + " is " + a[at] + ", expected " + e[at] + "; max error " + worst
                    + " is over " + tolerance + " x max |expected| " + scale);
        }
    }
}
