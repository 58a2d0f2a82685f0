package org.attnbench.variants;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.models.attention.AttentionBlock;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.methods.Variant;
import org.attnbench.models.inputs.TokenMaps;
import org.attnbench.models.reference.AttentionWeights;
import org.attnbench.models.reference.ReferenceBlock;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attention variant, built as a graph and run on each backend in float32, against the
 * plain-Java float64 reference: relative error (max |out - ref| / max |ref|) under 1e-4.
 */
class VariantsMatchReferenceTest {
    static final double TOLERANCE = 1e-4;
    static final Path PHOTOS = Path.of("/usr/share/backgrounds/mate/nature");

    static final List<String> VARIANTS = List.of(
            "dense", "dense:slice=7", "dense:kernel=fused",
            "todo:factor=2,method=nearest", "todo:factor=2,method=nearest-exact", "todo:factor=2,method=avg_pool",
            "todo:factor=2,method=max_pool", "todo:factor=2,method=bilinear", "todo:factor=2,method=bicubic",
            "todo:factor=2,method=area", "todo:factor=3,method=nearest-exact", "todo:factor=3,method=area",
            "todo:factor=2,kernel=fused", "todo:factor=2,slice=5",
            "tome:ratio=0.5", "tome:ratio=0.5,use_rand=false", "tome:ratio=0.6,sx=3,sy=2,seed=4",
            "tome:ratio=0.5,kernel=fused", "tome-kv:ratio=0.5", "tome-kv:ratio=0.7,seed=2");

    /** Grids that 2 and 3 do not divide, batch 1, 2 and an odd 3 (ToMe then forces use_rand off). */
    static final List<AttentionShape> SHAPES = List.of(
            new AttentionShape(1, 8, 8, 16, 2),
            new AttentionShape(2, 7, 9, 12, 3),
            new AttentionShape(3, 6, 5, 8, 1));

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String backend : List.of("onnxruntime", "djl")) {
            for (AttentionShape shape : SHAPES) {
                for (String variant : VARIANTS) out.add(Arguments.of(backend, shape, variant));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void gaussianTokensMatchTheReference(String backend, AttentionShape shape, String variant) {
        HostTensor x = BlockInputs.gaussian(11, shape);
        assertMatchesReference(backend, shape, Variant.parse(variant), x);
    }

    @ParameterizedTest(name = "{0} photo {1}")
    @MethodSource("photoCases")
    void photoTokensMatchTheReference(String backend, String variant) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(PHOTOS), "Debian package mate-backgrounds is not installed");
        AttentionShape shape = new AttentionShape(2, 12, 10, 16, 2);
        List<Path> photos = List.of(PHOTOS.resolve("LadyBird.jpg"), PHOTOS.resolve("Storm.jpg"));
        HostTensor x = BlockInputs.fromImages(photos, 5, shape);
        assertMatchesReference(backend, shape, Variant.parse(variant), x);
    }

    static Stream<Arguments> photoCases() {
        return Stream.of("onnxruntime", "djl").flatMap(b -> Stream.of("dense", "todo:factor=2", "todo:factor=3,method=bilinear",
                "tome:ratio=0.5", "tome-kv:ratio=0.5").map(v -> Arguments.of(b, v)));
    }

    @Test
    void identitiesHoldToFloat32Rounding() {
        AttentionShape shape = new AttentionShape(2, 8, 6, 16, 4);
        HostTensor x = BlockInputs.gaussian(3, shape);
        Map<String, HostTensor> w = BlockWeights.random(1, shape.channels());
        for (String backend : List.of("onnxruntime", "djl")) {
            float[] dense = run(backend, shape, Variant.parse("dense"), w, x);
            for (String same : List.of("todo:factor=1", "todo:factor=1,method=avg_pool", "tome:ratio=0",
                    "tome-kv:ratio=0", "dense:slice=1", "dense:slice=5", "dense:slice=48", "dense:kernel=fused")) {
                float[] other = run(backend, shape, Variant.parse(same), w, x);
                assertClose(dense, other, 2e-6, backend + " " + same + " vs dense");
            }
        }
        for (String variant : VARIANTS) {
            Variant spec = Variant.parse(variant);
            assertClose(run("onnxruntime", shape, spec, w, x), run("djl", shape, spec, w, x), 2e-6, "djl vs onnxruntime " + variant);
        }
    }

    private static void assertMatchesReference(String backend, AttentionShape shape, Variant spec, HostTensor x) {
        Map<String, HostTensor> w = BlockWeights.random(7, shape.channels());
        float[] actual = run(backend, shape, spec, w, x);
        double[][][] ref = ReferenceBlock.forward(spec.tokens().patch().atBlock(1), referenceWeights(w, shape.channels()),
                TokenMaps.unflatten(x.toFloats(), shape.batch(), shape.tokens(), shape.channels()),
                shape.height(), shape.width(), shape.heads());
        float[] expected = TokenMaps.flatten(ref);
        assertClose(expected, actual, TOLERANCE, backend + " " + spec.canonical() + " " + shape);
    }

    static AttentionWeights referenceWeights(Map<String, HostTensor> w, int channels) {
        Map<String, double[]> named = new LinkedHashMap<>();
        w.forEach((k, v) -> named.put(k, v.toDoubles()));
        return AttentionWeights.fromNamed(named, channels);
    }

    static float[] run(String backendName, AttentionShape shape, Variant spec, Map<String, HostTensor> w, HostTensor x) {
        Backend backend = Backends.byName(backendName);
        try (Executable exe = backend.compile(AttentionBlock.build(shape, spec.tokens().patch(), w), Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(Map.of(AttentionBlock.INPUT, x)).get(AttentionBlock.OUTPUT);
            assertArrayEquals(x.shape(), out.shape());
            return out.toFloats();
        }
    }

    /** max |a - b| / max |a| under the tolerance. */
    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double worst = 0;
        double scale = 0;
        int at = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double err = Math.abs((double) expected[i] - actual[i]);
            if (!(err <= worst)) {
                worst = err;
                at = i;
            }
        }
        double rel = worst / scale;
        assertTrue(rel < tolerance, what + ": relative error " + rel + " at element " + at
                + " (expected " + expected[at] + ", got " + actual[at] + ")");
    }
}
