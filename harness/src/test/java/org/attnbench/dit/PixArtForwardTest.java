package org.attnbench.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.PixArtConfig;
import org.attnbench.models.dit.PixArtGraph;
import org.attnbench.models.reference.ReferencePixArt;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetPatch;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny PixArt (2 blocks, width 16, an 8 x 8 patch grid) against the float64 reference, with
 * every weight drawn (biases and modulation tables included, so each term is exercised): each
 * method on both backends, the identity settings equal to dense, and the block range honoured.
 */
class PixArtForwardTest {
    private static final PixArtConfig TINY = PixArtConfig.load("pixart-tiny");
    private static final ImageSize SIZE = ImageSize.square(128);
    private static final int BATCH = 2;
    private static final int TEXT = 5;
    private static final double TOLERANCE = 2e-4;
    private static final Map<String, HostTensor> WEIGHTS = weights();
    private static final Map<String, HostTensor> INPUTS = inputs();

    private static Map<String, HostTensor> weights() {
        return DitTesting.drawn(PixArtGraph.expectedWeights(TINY));
    }

    private static Map<String, HostTensor> inputs() {
        SplittableRandom rng = new SplittableRandom(8);
        int latent = SIZE.height() / UNetGraph.VAE_FACTOR;
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(UNetGraph.SAMPLE, gaussian(rng, 1, BATCH, TINY.inChannels(), latent, latent));
        in.put(UNetGraph.TIMESTEP, HostTensor.of(new float[] {999, 251}, BATCH));
        in.put(UNetGraph.ENCODER_HIDDEN_STATES, gaussian(rng, 1, BATCH, TEXT, TINY.captionChannels()));
        return in;
    }

    private static HostTensor gaussian(SplittableRandom rng, double scale, long... shape) {
        return DitTesting.gaussian(rng, scale, shape);
    }

    private static final WeightSource SOURCE = DitTesting.source(WEIGHTS);

    static float[] run(String backend, String variant, BlockRange blocks) {
        var graph = PixArtGraph.build(TINY, SIZE, BATCH, TEXT, UNetPatch.of(VariantSpec.parse(variant)), blocks, SOURCE);
        try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(INPUTS).get(UNetGraph.OUT_SAMPLE);
            assertArrayEquals(new long[] {BATCH, TINY.outChannels(), 16, 16}, out.shape());
            return out.toFloats();
        }
    }

    /** The reference's prediction for the whole batch, flattened as the graph's. */
    static double[] reference(String variant, IntPredicate patched) {
        ReferencePixArt ref = new ReferencePixArt(new ReferencePixArt.Shape(TINY.heads(), TINY.dim(), TINY.patchSize(),
                TINY.inChannels(), TINY.outChannels(), TINY.layers(), TINY.sampleSize(), TINY.interpolationScale(),
                TINY.normEps()), WEIGHTS);
        float[] t = INPUTS.get(UNetGraph.TIMESTEP).toFloats();
        double[][][][] pred = new double[BATCH][][][];
        for (int b = 0; b < BATCH; b++) {
            pred[b] = ref.forward(DitTesting.image(INPUTS.get(UNetGraph.SAMPLE), b), t[b],
                    DitTesting.rows(INPUTS.get(UNetGraph.ENCODER_HIDDEN_STATES), b), VariantSpec.parse(variant).reference(),
                    patched, b, BATCH);
        }
        return DitTesting.flatten(pred);
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
