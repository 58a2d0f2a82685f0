package org.attnbench.workloads.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.inception.FeatureLayer;
import org.attnbench.models.inception.NsfwjsInception;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversion of nsfwjs's InceptionV3 is right: its own five-class head calls every nature
 * photo of Debian's mate-backgrounds Neutral with probability above 0.8, on both backends; the
 * backends agree on the 2048 features and the probabilities; and both match TF.js itself
 * running the unpacked model on the same input.
 */
class NsfwjsInceptionTest {
    static final Path PHOTOS = Path.of("/usr/share/backgrounds/mate/nature");
    static final int NEUTRAL = NsfwjsInception.CLASSES.indexOf("Neutral");

    private static Map<String, HostTensor> ort;
    private static Map<String, HostTensor> djl;
    private static List<Path> photos;
    private static HostTensor input;

    @BeforeAll
    static void runBothBackends() {
        assumeTrue(Files.isDirectory(PHOTOS), "Debian package mate-backgrounds is not installed");
        assumeTrue(NsfwjsFixture.installed(), NsfwjsFixture.MISSING);
        photos = ImageFolder.list(PHOTOS);
        int n = photos.size();
        Preprocessing pre = NsfwjsExtractor.preprocessing();
        int per = 3 * pre.size() * pre.size();
        float[] pixels = new float[n * per];
        for (int i = 0; i < n; i++) pre.fill(ImageFolder.read(photos.get(i)), pixels, i * per);
        input = HostTensor.of(pixels, n, 3, pre.size(), pre.size());
        OnnxModel graph = NsfwjsInception.build(NsfwjsExtractor.model(), n, FeatureLayer.FLATTEN_1, true);
        ort = run("onnxruntime", graph, input);
        djl = run("djl", graph, input);
    }

    private static Map<String, HostTensor> run(String backend, OnnxModel graph, HostTensor input) {
        long start = System.nanoTime();
        try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            long compiled = System.nanoTime();
            Map<String, HostTensor> out = exe.run(Map.of(NsfwjsInception.INPUT, input));
            long done = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s: compile %.1f s, %d images in %.1f s%n", backend, (compiled - start) / 1e9,
                    input.shape()[0], (done - compiled) / 1e9);
            return out;
        }
    }

    @Test
    void everyNaturePhotoIsNeutralOnBothBackends() {
        assertEquals(12, photos.size(), "mate-backgrounds installs 12 nature photos");
        for (Map<String, HostTensor> out : List.of(ort, djl)) {
            float[] p = out.get(NsfwjsInception.PROBABILITIES).toFloats();
            for (int i = 0; i < photos.size(); i++) {
                float neutral = p[i * 5 + NEUTRAL];
                System.out.printf(Locale.ROOT, "%s: Neutral %.4f%n", photos.get(i).getFileName(), neutral);
                assertTrue(neutral > 0.8, photos.get(i) + ": P(Neutral) = " + neutral);
            }
        }
    }

    @Test
    void backendsAgree() {
        double features = maxAbsDiff(ort.get(NsfwjsInception.FEATURES), djl.get(NsfwjsInception.FEATURES));
        double probabilities = maxAbsDiff(ort.get(NsfwjsInception.PROBABILITIES), djl.get(NsfwjsInception.PROBABILITIES));
        double scale = maxAbs(ort.get(NsfwjsInception.FEATURES));
        System.out.printf(Locale.ROOT, "max |ORT - DJL|: features %.3g (largest feature %.3g), probabilities %.3g%n",
                features, scale, probabilities);
        assertTrue(features < 1e-3, "features differ by " + features);
        assertTrue(probabilities < 1e-4, "probabilities differ by " + probabilities);
    }

    @Test
    void matchesTfjsOnOnePhoto(@TempDir Path dir) throws IOException {
        int per = (int) (input.numel() / input.shape()[0]);
        float[] first = new float[per];
        input.data().asFloatBuffer().get(first);
        Path file = dir.resolve("input.f32");
        Files.write(file, HostTensor.of(first, 1, per).toByteArray());
        Map<String, float[]> tfjs = TfjsReference.run(file, 1);
        double features = maxAbsDiff(tfjs.get("flatten_1"), ort.get(NsfwjsInception.FEATURES).toFloats());
        double probabilities = maxAbsDiff(tfjs.get("probabilities"), ort.get(NsfwjsInception.PROBABILITIES).toFloats());
        System.out.printf(Locale.ROOT, "max |ORT - TF.js| on %s: features %.3g, probabilities %.3g%n",
                photos.get(0).getFileName(), features, probabilities);
        assertTrue(features < 1e-5, "features differ from TF.js by " + features);
        assertTrue(probabilities < 1e-6, "probabilities differ from TF.js by " + probabilities);
    }

    /** Over the first {@code a.length} values of each. */
    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    static double maxAbsDiff(HostTensor a, HostTensor b) {
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        assertEquals(x.length, y.length);
        double max = 0;
        for (int i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
        return max;
    }

    static double maxAbs(HostTensor a) {
        double max = 0;
        for (float v : a.toFloats()) max = Math.max(max, Math.abs(v));
        return max;
    }
}
