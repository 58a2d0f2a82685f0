package org.attnbench.workloads.features;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The goldens in test resources' {@code fidelity/}, written by its {@code make_goldens.py} with the reference code. */
final class FidelityGoldens {
    private FidelityGoldens() {}

    static Path dir() {
        try {
            return Path.of(FidelityGoldens.class.getResource("/fidelity").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    static List<Path> images() {
        return ImageFolder.list(dir().resolve("images"));
    }

    /** max |a - b| over max |b|, the goldens' relative error. */
    static double relativeError(float[] actual, float[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
