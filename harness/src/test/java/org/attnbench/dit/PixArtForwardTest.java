package org.attnbench.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.Float16Graph;
import org.attnbench.graph.OnnxModel;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.PixArtConfig;
import org.attnbench.models.dit.PixArtGraph;
import org.attnbench.models.reference.ReferencePixArt;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny PixArt (2 blocks, width 16, an 8 x 8 patch grid) against the float64 reference, with
 * every weight drawn (biases and modulation tables included, so each term is exercised) and a
 * caption mask that pads the first entry's last tokens: each method on both backends, the identity
 * settings equal to dense, the block range honoured, the mask acting; and a tiny PixArt-α with its
 * size conditions at a non-square size.
 */
class PixArtForwardTest {
    private static final PixArtConfig TINY = PixArtConfig.load("pixart-tiny");
    private static final ImageSize SIZE = ImageSize.square(128);
    private static final int BATCH = 2;
    private static final int TEXT = 5;
    private static final double TOLERANCE = 2e-4;
    /** Entry 0 keeps 3 of its 5 caption tokens, entry 1 all. */
    private static final long[] MASK = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
    private static final Map<String, HostTensor> WEIGHTS = weights();
    private static final Map<String, HostTensor> INPUTS = inputs();

    private static Map<String, HostTensor> weights() {
        return DitTesting.drawn(PixArtGraph.expectedWeights(TINY));
    }

    private static Map<String, HostTensor> inputs() {
        SplittableRandom rng = new SplittableRandom(8);
        int latent = SIZE.height() / DenoiserIO.VAE_FACTOR;
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.SAMPLE, gaussian(rng, 1, BATCH, TINY.inChannels(), latent, latent));
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(new float[] {999, 251}, BATCH));
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, gaussian(rng, 1, BATCH, TEXT, TINY.captionChannels()));
        in.put(DenoiserIO.ENCODER_ATTENTION_MASK, HostTensor.of(MASK, BATCH, TEXT));
        return in;
    }

    private static HostTensor gaussian(SplittableRandom rng, double scale, long... shape) {
        return DitTesting.gaussian(rng, scale, shape);
    }

    private static final WeightSource SOURCE = DitTesting.source(WEIGHTS);

    static float[] run(String backend, String variant, BlockRange blocks) {
        return run(backend, variant, blocks, INPUTS);
    }

    static float[] run(String backend, String variant, BlockRange blocks, Map<String, HostTensor> inputs) {
        var graph = PixArtGraph.build(TINY, SIZE, BATCH, TEXT, Variant.parse(variant).tokens().patch(), blocks, SOURCE);
        try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(inputs).get(DenoiserIO.OUT_SAMPLE);
            assertArrayEquals(new long[] {BATCH, TINY.outChannels(), 16, 16}, out.shape());
            return out.toFloats();
        }
    }

    /** The reference's prediction for the whole batch, flattened as the graph's. */
    static double[] reference(String variant, IntPredicate patched) {
        return reference(TINY, WEIGHTS, INPUTS, variant, patched);
    }

    static double[] reference(PixArtConfig c, Map<String, HostTensor> weights, Map<String, HostTensor> inputs, String variant,
            IntPredicate patched) {
        ReferencePixArt ref = new ReferencePixArt(new ReferencePixArt.Shape(c.heads(), c.dim(), c.patchSize(),
                c.inChannels(), c.outChannels(), c.layers(), c.sampleSize(), c.interpolationScale(),
                c.normEps(), c.additionalConditions()), weights);
        float[] t = inputs.get(DenoiserIO.TIMESTEP).toFloats();
        long[] mask = inputs.get(DenoiserIO.ENCODER_ATTENTION_MASK).toLongs();
        int batch = t.length, text = mask.length / batch;
        double[][][][] pred = new double[batch][][][];
        for (int b = 0; b < batch; b++) {
            pred[b] = ref.forward(DitTesting.image(inputs.get(DenoiserIO.SAMPLE), b), t[b],
                    DitTesting.rows(inputs.get(DenoiserIO.ENCODER_HIDDEN_STATES), b),
                    java.util.Arrays.copyOfRange(mask, b * text, (b + 1) * text), Variant.parse(variant).tokens().patch().atBlock(1),
                    patched, b, batch);
        }
        return DitTesting.flatten(pred);
    }

    @Test
    void theCaptionMaskHidesPaddedTokensFromTheCrossAttention() {
        // entry 0 with its last two tokens masked equals entry 0 given its first three tokens alone
        Map<String, HostTensor> all = new LinkedHashMap<>(INPUTS);
        all.put(DenoiserIO.ENCODER_ATTENTION_MASK, HostTensor.of(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, BATCH, TEXT));
        float[] masked = run("onnxruntime", "dense", BlockRange.ALL);
        float[] unmasked = run("onnxruntime", "dense", BlockRange.ALL, all);
        int half = masked.length / 2;
        double diff = 0;
        for (int i = 0; i < half; i++) diff = Math.max(diff, Math.abs(masked[i] - unmasked[i]));
        assertTrue(diff > 1e-3, "the mask changes entry 0 (by " + diff + ")");
        assertArrayEquals(java.util.Arrays.copyOfRange(unmasked, half, 2 * half), java.util.Arrays.copyOfRange(masked, half, 2 * half),
                1e-6f, "entry 1 keeps every token");
        float[] caption = INPUTS.get(DenoiserIO.ENCODER_HIDDEN_STATES).toFloats();
        int width = TINY.captionChannels();
        float[] three = new float[BATCH * 3 * width];
        for (int b = 0; b < BATCH; b++) System.arraycopy(caption, b * TEXT * width, three, b * 3 * width, 3 * width);
        Map<String, HostTensor> shorter = new LinkedHashMap<>(INPUTS);
        shorter.put(DenoiserIO.ENCODER_HIDDEN_STATES, HostTensor.of(three, BATCH, 3, width));
        shorter.put(DenoiserIO.ENCODER_ATTENTION_MASK, HostTensor.of(new long[] {1, 1, 1, 1, 1, 1}, BATCH, 3));
        var graph = PixArtGraph.build(TINY, SIZE, BATCH, 3, Variant.parse("dense").tokens().patch(), BlockRange.ALL, SOURCE);
        try (Executable exe = Backends.byName("onnxruntime").compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            float[] out = exe.run(shorter).get(DenoiserIO.OUT_SAMPLE).toFloats();
            for (int i = 0; i < half; i++) assertEquals(out[i], masked[i], 1e-4, "element " + i);
        }
    }

    /** The masked graph in float16 (ONNX Runtime's own, DJL on the converted graph) stays within 1e-2 of float32 (relative L2). */
    @ParameterizedTest
    @ValueSource(strings = {"dense", "dense:kernel=fused"})
    void float16KeepsTheCaptionMask(String variant) {
        var graph = PixArtGraph.build(TINY, SIZE, BATCH, TEXT, Variant.parse(variant).tokens().patch(), BlockRange.ALL, SOURCE);
        float[] fp32 = run("onnxruntime", graph, CompileOptions.DEFAULT);
        double ort = relL2(run("onnxruntime", graph, CompileOptions.DEFAULT.withDType(DType.FLOAT16)), fp32);
        double djl = relL2(run("djl", Float16Graph.convert(graph), CompileOptions.DEFAULT), fp32);
        assertTrue(ort < 1e-2 && ort > 0, "ONNX Runtime fp16: " + ort);
        assertTrue(djl < 1e-2 && djl > 0, "DJL on the converted graph: " + djl);
    }

    private static float[] run(String backend, OnnxModel model, CompileOptions options) {
        try (Executable exe = Backends.byName(backend).compile(model, Device.CPU, options)) {
            return exe.run(INPUTS).get(DenoiserIO.OUT_SAMPLE).toFloats();
        }
    }

    private static double relL2(float[] got, float[] want) {
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (double) (got[i] - want[i]);
            den += want[i] * (double) want[i];
        }
        return Math.sqrt(num / den);
    }

    /** A tiny PixArt-α: width 24 (three size embeddings of 8), resolution and aspect-ratio conditions on. */
    private static final PixArtConfig ALPHA = PixArtConfig.parse("tiny-alpha", """
            {"num_attention_heads": 2, "attention_head_dim": 12, "cross_attention_dim": 24, "caption_channels": 20,
             "num_layers": 2, "sample_size": 16, "in_channels": 4, "out_channels": 8, "use_additional_conditions": true}""");

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2", "dense:kernel=fused"})
    void pixartAlphaTakesItsSizeConditionsAtANonSquareSize(String variant) {
        ImageSize size = new ImageSize(96, 160);
        Map<String, HostTensor> weights = DitTesting.drawn(PixArtGraph.expectedWeights(ALPHA));
        SplittableRandom rng = new SplittableRandom(9);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.SAMPLE, gaussian(rng, 1, 1, 4, 12, 20));
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(new float[] {640}, 1));
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, gaussian(rng, 1, 1, 4, ALPHA.captionChannels()));
        in.put(DenoiserIO.ENCODER_ATTENTION_MASK, HostTensor.of(new long[] {1, 1, 0, 0}, 1, 4));
        double[] expected = reference(ALPHA, weights, in, variant, i -> true);
        for (String backend : new String[] {"onnxruntime", "djl"}) {
            var graph = PixArtGraph.build(ALPHA, size, 1, 4, Variant.parse(variant).tokens().patch(), BlockRange.ALL,
                    DitTesting.source(weights));
            try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
                assertClose(expected, exe.run(in).get(DenoiserIO.OUT_SAMPLE).toFloats(), backend + " " + variant);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2", "todo:factor=2,method=avg_pool", "todo:factor=4,method=bilinear",
            "tome:ratio=0.5", "tome-kv:ratio=0.5", "dense:kernel=fused", "todo:factor=2,kernel=fused"})
    void bothBackendsMatchTheFloat64Reference(String variant) {
        double[] expected = reference(variant, i -> true);
        for (String backend : new String[] {"onnxruntime", "djl"}) {
            assertClose(expected, run(backend, variant, BlockRange.ALL), backend + " " + variant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void identitySettingsEqualDense(String backend) {
        DitTesting.assertIdentitiesEqualDense(backend, (b, variant) -> run(b, variant, BlockRange.ALL));
    }

    @Test
    void onlyTheBlocksInRangeArePatched() {
        double[] expected = reference("todo:factor=2", i -> i == 1);
        assertClose(expected, run("onnxruntime", "todo:factor=2", BlockRange.parse("1-1")), "blocks 1-1");
        double[] all = reference("todo:factor=2", i -> true);
        double diff = 0;
        for (int i = 0; i < all.length; i++) diff = Math.max(diff, Math.abs(all[i] - expected[i]));
        assertTrue(diff > 1e-3, "patching block 0 too changes the output (by " + diff + ")");
    }

    private static void assertClose(double[] expected, float[] got, String what) {
        DitTesting.assertClose(expected, got, TOLERANCE, what);
    }
}
