package org.attnbench.golden;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;

/**
 * One folder of {@code ../shared/golden}: a forward pass of a small diffusers model made by the
 * reference code itself (diffusers, tomesd, ToDo's repository), with its config, weights, inputs
 * and expected outputs, and {@code case.json} saying what it is.
 */
record GoldenCase(Path dir, JsonObject info) {
    /** The environment variable CI sets; without the cases there, the suite fails instead of skipping. */
    static final String CI = "CI";
    /** Overrides where the cases are looked for. */
    static final String PROPERTY = "attnbench.golden";

    /** The cases folder: {@value #PROPERTY}, else {@code shared/golden} beside the checkout. */
    static Path folder() {
        String override = System.getProperty(PROPERTY);
        if (override != null) return Path.of(override);
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        // The checkout's root is the topmost folder with a pom.xml (tests run in a module folder).
        while (dir.getParent() != null && Files.exists(dir.getParent().resolve("pom.xml"))) dir = dir.getParent();
        return dir.resolveSibling("shared").resolve("golden");
    }

    static List<GoldenCase> all(Path folder) {
        try (Stream<Path> dirs = Files.list(folder)) {
            List<GoldenCase> cases = new ArrayList<>();
            for (Path d : dirs.filter(p -> Files.isRegularFile(p.resolve("case.json"))).sorted().toList()) {
                cases.add(new GoldenCase(d, JsonParser.parseString(Files.readString(d.resolve("case.json"))).getAsJsonObject()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return dir.getFileName().toString();
    }

    String modelClass() {
        return info.get("model_class").getAsString();
    }

    /** The attnbench variant spec meant to reproduce the case (UNet cases). */
    String variant() {
        return info.get("variant").getAsString();
    }

    double timestep() {
        return info.get("timestep").getAsDouble();
    }

    int batch() {
        return info.get("batch").getAsInt();
    }

    int latentHeight() {
        return info.getAsJsonArray("latent_hw").get(0).getAsInt();
    }

    int latentWidth() {
        return info.getAsJsonArray("latent_hw").get(1).getAsInt();
    }

    double tolerance() {
        return info.getAsJsonObject("tolerance").get("value").getAsDouble();
    }

    Path config() {
        return dir.resolve("config.json");
    }

    Path weights() {
        return dir.resolve("weights.safetensors");
    }

    Map<String, HostTensor> inputs() {
        return Safetensors.read(dir.resolve("inputs.safetensors"));
    }

    Map<String, HostTensor> expected() {
        return Safetensors.read(dir.resolve("expected.safetensors"));
    }

    /** The case's measure: max |actual - expected| / max |expected| over the whole tensor. */
    static double relativeError(HostTensor expected, HostTensor actual) {
        float[] e = expected.toFloats();
        float[] a = actual.toFloats();
        if (e.length != a.length) throw new AssertionError(e.length + " expected values, got " + a.length);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < e.length; i++) {
            if (!Float.isFinite(a[i])) return Double.POSITIVE_INFINITY;
            worst = Math.max(worst, Math.abs((double) a[i] - e[i]));
            scale = Math.max(scale, Math.abs(e[i]));
        }
        return worst / scale;
    }
}
