package org.attnbench.workloads.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.EncoderWeights;
import org.attnbench.text.encoder.TextEncoderConfig;
import org.attnbench.text.reference.ReferenceTextEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded small encoders, written to disk as transformers saves them, run by {@link TextEncoderRunner}
 * on both backends against the float64 references: both activations, with and without projection,
 * both pooling rules (legacy eos_token_id 2: the first largest id; else the first eos, none at all
 * pooling position 0), one layer (the penultimate state is then the embeddings), odd lengths and the
 * longest CLIP takes, T5 with an inner width other than d_model, log-spaced and capped buckets,
 * masks that leave keys out, float32, float16 and bfloat16 weights, single files and shards, and
 * T5's embedding stored as encoder.embed_tokens.weight.
 */
class TextEncoderRunnerTest {
    private static final double TOLERANCE = 1e-5;
    private static final List<String> BACKENDS = List.of("onnxruntime", "djl");

    @TempDir
    static Path tmp;

    record Case(String name, Map<String, Object> config, DType dtype, int shards, Map<String, String> rename,
                long[][] ids, long[][] mask) {
        @Override
        public String toString() {
            return name;
        }

        Path write(Path dir) {
            return SeededEncoder.write(dir.resolve(name.replaceAll("[^a-z0-9]+", "-")), config, dtype, shards, 42, rename);
        }
    }

    static Stream<Case> cases() {
        SplittableRandom rng = new SplittableRandom(3);
        return Stream.of(
                new Case("clip quick_gelu legacy eos f32 3x7",
                        SeededEncoder.clip(false, "quick_gelu", 16, 2, 2, 40, 64, 12, 2), DType.FLOAT32, 1, Map.of(),
                        new long[][] {padded(rng, 7, 3, 63, 63), padded(rng, 7, 6, 63, 63), {60, 63, 5, 63, 63, 63, 63}},
                        null),
                new Case("clip gelu projection eos 63 f16 two shards masked 3x5",
                        SeededEncoder.clip(true, "gelu", 12, 3, 3, 24, 64, 8, 63), DType.FLOAT16, 2, Map.of(),
                        new long[][] {{5, 9, 63, 0, 0}, {7, 63, 11, 63, 2}, {4, 5, 6, 7, 8}},
                        new long[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 1, 1, 0}}),
                new Case("clip one layer bf16 longest 2x8",
                        SeededEncoder.clip(true, "quick_gelu", 8, 2, 1, 16, 64, 8, 63), DType.BFLOAT16, 1, Map.of(),
                        new long[][] {padded(rng, 8, 4, 63, 0), padded(rng, 8, 7, 63, 0)}, null),
                new Case("t5 masked bf16 three shards 3x11",
                        SeededEncoder.t5(12, 5, 3, 20, 2, 50, 8, 10), DType.BFLOAT16, 3, Map.of(),
                        new long[][] {random(rng, 11, 50), random(rng, 11, 50), random(rng, 11, 50)},
                        new long[][] {ones(11, 11), ones(6, 11), ones(1, 11)}),
                new Case("t5 unmasked f32 2x1", SeededEncoder.t5(16, 8, 2, 24, 3, 40, 32, 128), DType.FLOAT32, 1,
                        Map.of(), new long[][] {{1}, {7}}, null),
                new Case("t5 embed_tokens f16 2x13", SeededEncoder.t5(10, 4, 4, 18, 2, 30, 16, 20), DType.FLOAT16, 1,
                        Map.of("shared.weight", "encoder.embed_tokens.weight"),
                        new long[][] {random(rng, 13, 30), random(rng, 13, 30)}, new long[][] {ones(13, 13), ones(9, 13)}));
    }

    /** bos-like 60, random ids below 60, eos at {@code eosAt}, then {@code pad}. */
    private static long[] padded(SplittableRandom rng, int length, int eosAt, long eos, long pad) {
        long[] ids = new long[length];
        ids[0] = 60;
        for (int i = 1; i < length; i++) ids[i] = i < eosAt ? 3 + rng.nextInt(57) : i == eosAt ? eos : pad;
        return ids;
    }

    private static long[] random(SplittableRandom rng, int length, int vocab) {
        long[] ids = new long[length];
        for (int i = 0; i < length; i++) ids[i] = rng.nextInt(vocab);
        return ids;
    }

    private static long[] ones(int count, int length) {
        long[] m = new long[length];
        for (int i = 0; i < count; i++) m[i] = 1;
        return m;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void bothBackendsMatchTheFloat64Reference(Case c) {
        Path dir = c.write(tmp);
        TextEncoderConfig config = TextEncoderConfig.read(dir.resolve("config.json"));
        Map<String, HostTensor> expected;
        try (WeightSource weights = EncoderWeights.open(dir)) {
            expected = ReferenceTextEncoder.encode(config, weights, c.ids(), c.mask());
        }
        for (String backend : BACKENDS) {
            try (TextEncoderRunner runner = TextEncoderRunner.open(dir.resolve("config.json"), dir,
                    Backends.byName(backend), Device.CPU)) {
                Map<String, HostTensor> out = runner.encode(c.ids(), c.mask());
                assertEquals(config.outputs(), List.copyOf(out.keySet()), c + " on " + backend + ": outputs");
                for (String name : config.outputs()) {
                    assertEquals(DType.FLOAT32, out.get(name).dtype());
                    TextGoldens.assertClose(expected.get(name), out.get(name), TOLERANCE, c + " " + name + " on " + backend);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void eachShapeIsCompiledOnceAndGivesEachPromptsOwnStates(String backend) {
        Case c = cases().findFirst().orElseThrow();
        Path dir = c.write(tmp.resolve("shapes-" + backend));
        try (TextEncoderRunner runner = TextEncoderRunner.open(dir.resolve("config.json"), dir.resolve("model.safetensors"),
                Backends.byName(backend), Device.CPU)) {
            assertEquals("CLIPTextModel", runner.modelClass());
            HostTensor all = runner.encode(c.ids(), null).get(TextEncoderConfig.POOLER_OUTPUT);
            HostTensor one = runner.encode(new long[][] {c.ids()[1]}, null).get(TextEncoderConfig.POOLER_OUTPUT);
            runner.encode(c.ids(), null);
            assertEquals(2, runner.compiledGraphs());
            float[] a = all.toFloats();
            float[] b = one.toFloats();
            for (int i = 0; i < b.length; i++) assertEquals(a[b.length + i], b[i], 1e-5, "prompt 1 alone, element " + i);
        }
    }

    @Test
    void badIdsAndShapesAreOneLineErrors() {
        Case c = cases().findFirst().orElseThrow();
        Path dir = c.write(tmp.resolve("bad-ids"));
        try (TextEncoderRunner runner = TextEncoderRunner.open(dir.resolve("config.json"), dir, Backends.byName("onnxruntime"),
                Device.CPU)) {
            assertMessage(assertThrows(UserError.class, () -> runner.encode(new long[][] {{1, 64}}, null)),
                    "token id 64 (prompt 0, position 1)", "vocabulary of 64");
            assertMessage(assertThrows(UserError.class, () -> runner.encode(new long[][] {new long[13]}, null)),
                    "at most 12 tokens");
            assertMessage(assertThrows(UserError.class, () -> runner.encode(new long[][] {{1, 2}, {1}}, null)),
                    "prompt 1 are 1 long");
            assertMessage(assertThrows(UserError.class, () -> runner.encode(new long[][] {{1, 2}}, new long[][] {{1, 2}})),
                    "must be 0 or 1");
            assertEquals(0, runner.compiledGraphs());
        }
    }

    @Test
    void aMissingOrMisshapedWeightIsRefusedByName() {
        Case c = cases().findFirst().orElseThrow();
        Path missing = SeededEncoder.write(tmp.resolve("missing"), c.config(), DType.FLOAT32, 1, 1,
                Map.of("text_model.encoder.layers.1.mlp.fc2.bias", "text_model.encoder.layers.1.mlp.fc2.b"));
        UserError e = assertThrows(UserError.class, () -> TextEncoderRunner.open(missing.resolve("config.json"), missing,
                Backends.byName("onnxruntime"), Device.CPU));
        assertMessage(e, "lacks 1 of the", "text_model.encoder.layers.1.mlp.fc2.bias");

        Map<String, Object> wider = new java.util.LinkedHashMap<>(c.config());
        wider.put("intermediate_size", 41);
        Path config = SeededEncoder.write(tmp.resolve("wider"), wider, DType.FLOAT32, 1, 1, Map.of()).resolve("config.json");
        Path weights = c.write(tmp.resolve("narrow"));
        e = assertThrows(UserError.class, () -> TextEncoderRunner.open(config, weights, Backends.byName("djl"), Device.CPU));
        assertMessage(e, "weight 'text_model.encoder.layers.0.mlp.fc1.weight' has shape [40, 16], expected [41, 16]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void closingLetsTheWeightsGo(String backend) throws InterruptedException {
        // Float16 weights, so their float32 copies are the runner's own direct buffers (2.6 MB for the embedding).
        Path dir = SeededEncoder.write(tmp.resolve("memory-" + backend),
                SeededEncoder.t5(64, 16, 4, 96, 2, 10000, 32, 128), DType.FLOAT16, 1, 5, Map.of());
        long before = settledDirectBytes();
        TextEncoderRunner runner = TextEncoderRunner.open(dir.resolve("config.json"), dir, Backends.byName(backend),
                Device.CPU);
        runner.encode(new long[][] {{1, 2, 3}}, null);
        runner.encode(new long[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}, null);
        long held = directBytes() - before;
        long weights = 4L * (10000 * 64 + 2 * (4 * 64 * 64 + 3 * 64 * 96 + 2 * 64) + 32 * 4 + 64);
        assertTrue(held >= weights, "while open the runner holds its float32 weights once or more: " + held + " bytes for "
                + weights);
        runner.close();
        assertThrows(IllegalStateException.class, () -> runner.encode(new long[][] {{1}}, null));
        long after = held;
        for (int i = 0; i < 50 && after > weights / 4; i++) {
            System.gc();
            Thread.sleep(20);
            after = directBytes() - before;
        }
        assertTrue(after <= weights / 4, "after close " + after + " bytes of direct buffers are still held (weights "
                + weights + ")");
    }

    /** Direct buffer bytes once the garbage of earlier tests is collected. */
    private static long settledDirectBytes() throws InterruptedException {
        long last = Long.MAX_VALUE;
        long now = directBytes();
        for (int i = 0; i < 50 && now < last; i++) {
            System.gc();
            Thread.sleep(20);
            last = now;
            now = directBytes();
        }
        return now;
    }

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' says " + p);
    }
}
