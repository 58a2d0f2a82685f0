package org.attnbench.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full forward pass of the tiny UNet, weights from a checkpoint the test writes: both backends
 * agree, the identity settings of every variant equal dense, and every patch stays finite.
 */
class UNetForwardTest {
    static final double TOLERANCE = 1e-4;
    static final int RESOLUTION = 64;
    static final int BATCH = 2;

    @TempDir
    static Path dir;
    static Path weights;
    static Map<String, HostTensor> inputs;

    @BeforeAll
    static void writeCheckpoint() {
        weights = dir.resolve("tiny.safetensors");
        SafetensorsWeights.write(weights, UNetConfig.load("tiny"), new RandomWeights(5), DType.FLOAT32);
        inputs = inputs(UNetConfig.load("tiny"));
    }

    static Map<String, HostTensor> inputs(UNetConfig config) {
        int latent = RESOLUTION / DenoiserIO.VAE_FACTOR;
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.SAMPLE, gaussian(1, BATCH, config.inChannels(), latent, latent));
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(new float[] {999, 251}, BATCH));
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, gaussian(2, BATCH, UNetGraph.TEXT_TOKENS, config.crossAttentionDim()));
        if (config.addTextTime()) {
            in.put(DenoiserIO.TEXT_EMBEDS, gaussian(3, BATCH, config.textEmbedsDim()));
            in.put(DenoiserIO.TIME_IDS, HostTensor.of(new float[] {64, 64, 0, 0, 64, 64, 64, 64, 0, 0, 64, 64}, BATCH, 6));
        }
        return in;
    }

    static float[] run(String backend, String variant) {
        UNetConfig tiny = UNetConfig.load("tiny");
        try (SafetensorsWeights w = SafetensorsWeights.open(weights);
             Executable exe = Backends.byName(backend).compile(
                     UNetGraph.build(tiny, RESOLUTION, BATCH, Variant.parse(variant).tokens().patch(), w),
                     Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(inputs).get(DenoiserIO.OUT_SAMPLE);
            assertArrayEquals(inputs.get(DenoiserIO.SAMPLE).shape(), out.shape());
            return out.toFloats();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2", "tome:ratio=0.5,merge_crossattn=true,merge_mlp=true,max_downsample=2",
            "tome-kv:ratio=0.5", "dense:kernel=fused"})
    void djlEqualsOnnxRuntime(String variant) {
        float[] ort = run("onnxruntime", variant);
        assertFinite(ort, variant);
        assertClose(ort, run("djl", variant), variant + ": djl vs onnxruntime");
    }

    @Test
    void identitySettingsEqualDense() {
        float[] dense = run("onnxruntime", "dense");
        for (String same : new String[] {"todo:factor=1", "tome:ratio=0", "tome-kv:ratio=0", "dense:slice=16",
                "dense:kernel=fused"}) {
            assertClose(dense, run("onnxruntime", same), same + " vs dense");
        }
        for (String patched : new String[] {"todo:factor=2", "tome:ratio=0.5", "tome-kv:ratio=0.5"}) {
            float[] other = run("onnxruntime", patched);
            assertTrue(!java.util.Arrays.equals(dense, other), patched + " left the UNet unpatched");
        }
    }

    /**
     * A non-square latent (6 x 10) whose sides the factors do not divide: ToDo floors each side
     * (6 x 10 by 4 is 1 x 2), tomesd's partition leaves the last rows and columns as sources.
     */
    @ParameterizedTest
    @ValueSource(strings = {"todo:factor=4", "todo:factor=3,method=avg_pool", "tome:ratio=0.5,sx=4,sy=4,merge_mlp=true",
            "tome-kv:ratio=0.5,sx=3,sy=4"})
    void nonSquareGridsTheFactorDoesNotDivide(String variant) {
        UNetConfig tiny = UNetConfig.load("tiny");
        ImageSize size = new ImageSize(48, 80);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.SAMPLE, gaussian(7, BATCH, tiny.inChannels(), 6, 10));
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(new float[] {801, 801}, BATCH));
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, gaussian(8, BATCH, UNetGraph.TEXT_TOKENS, tiny.crossAttentionDim()));
        float[][] out = new float[2][];
        String[] backends = {"onnxruntime", "djl"};
        for (int i = 0; i < 2; i++) {
            try (Executable exe = Backends.byName(backends[i]).compile(UNetGraph.build(tiny, size, BATCH,
                    Variant.parse(variant).tokens().patch(), new RandomWeights(5)), Device.CPU, CompileOptions.DEFAULT)) {
                out[i] = exe.run(in).get(DenoiserIO.OUT_SAMPLE).toFloats();
            }
        }
        assertFinite(out[0], variant);
        assertClose(out[0], out[1], variant + " at 80x48 px: djl vs onnxruntime");
    }

    @Test
    void sdxlConditioningBuildsAndRuns() {
        // SDXL's text_time path at tiny width: the tiny config plus SDXL's add_embedding keys.
        UNetConfig config = TinyXl.config(dir);
        Map<String, HostTensor> in = inputs(config);
        try (Executable exe = Backends.byName("onnxruntime").compile(UNetGraph.build(config, RESOLUTION, BATCH,
                Variant.parse("todo:factor=2").tokens().patch(), new RandomWeights(1)), Device.CPU, CompileOptions.DEFAULT)) {
            assertFinite(exe.run(in).get(DenoiserIO.OUT_SAMPLE).toFloats(), "tiny text_time");
        }
    }

    static void assertFinite(float[] v, String what) {
        for (float f : v) assertTrue(Float.isFinite(f), what + ": non-finite output");
    }

    /** max |a - b| / max |a| under the tolerance. */
    static void assertClose(float[] expected, float[] actual, String what) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs((double) expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE * scale, what + ": relative error " + worst / scale);
    }

    static HostTensor gaussian(long seed, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(HostTensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return HostTensor.of(v, shape);
    }
}
