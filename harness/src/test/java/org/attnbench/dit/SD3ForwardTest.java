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
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.SD3Config;
import org.attnbench.models.dit.SD3Graph;
import org.attnbench.models.dit.SD3Weights;
import org.attnbench.models.reference.ReferenceSD3;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny SD 3.5 (3 blocks of width 16, dual attention in block 0, q/k RMSNorm; an 8 x 8 patch
 * grid) and the same without those (SD 3's blocks) against the float64 reference, with every weight
 * drawn: each method on both backends, the identity settings equal to dense, the block range
 * honoured, and the graph reading exactly the tensors a checkpoint holds.
 */
class SD3ForwardTest {
    private static final SD3Config TINY = SD3Config.load("sd3-tiny");
    private static final ImageSize SIZE = ImageSize.square(128);
    private static final int BATCH = 2;
    private static final int TEXT = 5;
    private static final double TOLERANCE = 2e-4;
    private static final Map<String, HostTensor> WEIGHTS = weights(TINY);
    private static final Map<String, HostTensor> INPUTS = inputs();

    /** SD 3's blocks at the same size: no dual attention, no q/k norms. */
    private static final SD3Config PLAIN = SD3Config.parse("plain", "{\"attention_head_dim\": 8, \"num_attention_heads\": 2, "
            + "\"num_layers\": 3, \"caption_projection_dim\": 16, \"joint_attention_dim\": 32, \"pooled_projection_dim\": 24, "
            + "\"pos_embed_max_size\": 16, \"sample_size\": 16}");

    private static Map<String, HostTensor> weights(SD3Config config) {
        return DitTesting.drawn(SD3Weights.parameters(config));
    }

    private static Map<String, HostTensor> inputs() {
        SplittableRandom rng = new SplittableRandom(8);
        int latent = SIZE.height() / DenoiserIO.VAE_FACTOR;
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.SAMPLE, gaussian(rng, 1, BATCH, TINY.inChannels(), latent, latent));
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(new float[] {999, 251}, BATCH));
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, gaussian(rng, 1, BATCH, TEXT, TINY.jointAttentionDim()));
        in.put(DenoiserIO.TEXT_EMBEDS, gaussian(rng, 1, BATCH, TINY.pooledProjectionDim()));
        return in;
    }

    private static HostTensor gaussian(SplittableRandom rng, double scale, long... shape) {
        return DitTesting.gaussian(rng, scale, shape);
    }

    private static WeightSource source(Map<String, HostTensor> weights) {
        return DitTesting.source(weights);
    }

    static float[] run(String backend, String variant, BlockRange blocks) {
        return run(TINY, WEIGHTS, backend, variant, blocks);
    }

    static float[] run(SD3Config config, Map<String, HostTensor> weights, String backend, String variant, BlockRange blocks) {
        var graph = SD3Graph.build(config, SIZE, BATCH, TEXT, Variant.parse(variant).tokens().patch(), blocks, source(weights));
        try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(INPUTS).get(DenoiserIO.OUT_SAMPLE);
            assertArrayEquals(new long[] {BATCH, config.outChannels(), 16, 16}, out.shape());
            return out.toFloats();
        }
    }

    /** The reference's prediction for the whole batch, flattened as the graph's. */
    static double[] reference(String variant, IntPredicate patched) {
        return reference(TINY, WEIGHTS, variant, patched);
    }

    static double[] reference(SD3Config config, Map<String, HostTensor> weights, String variant, IntPredicate patched) {
        ReferenceSD3 ref = new ReferenceSD3(new ReferenceSD3.Shape(config.heads(), config.dim(), config.patchSize(),
                config.inChannels(), config.outChannels(), config.layers(), config.sampleSize(), config.posEmbedMaxSize(),
                config.dualAttentionLayers(), config.qkNorm()), weights);
        float[] t = INPUTS.get(DenoiserIO.TIMESTEP).toFloats();
        double[][][][] pred = new double[BATCH][][][];
        for (int b = 0; b < BATCH; b++) {
            pred[b] = ref.forward(DitTesting.image(INPUTS.get(DenoiserIO.SAMPLE), b), t[b],
                    DitTesting.rows(INPUTS.get(DenoiserIO.ENCODER_HIDDEN_STATES), b),
                    DitTesting.vector(INPUTS.get(DenoiserIO.TEXT_EMBEDS), b), Variant.parse(variant).tokens().patch().atBlock(1), patched, b,
                    BATCH);
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
    @ValueSource(strings = {"dense", "todo:factor=2", "tome:ratio=0.5"})
    void sd3BlocksWithoutDualAttentionOrQkNormMatchToo(String variant) {
        Map<String, HostTensor> weights = weights(PLAIN);
        double[] expected = reference(PLAIN, weights, variant, i -> true);
        for (String backend : new String[] {"onnxruntime", "djl"}) {
            assertClose(expected, run(PLAIN, weights, backend, variant, BlockRange.ALL), backend + " " + variant);
        }
    }

    @Test
    void theGraphReadsExactlyTheCheckpointsParameters() {
        Map<String, long[]> graph = SD3Graph.expectedWeights(TINY);
        Map<String, long[]> listed = SD3Weights.parameters(TINY);
        assertEquals(new java.util.TreeSet<>(listed.keySet()), new java.util.TreeSet<>(graph.keySet()));
        listed.forEach((name, shape) -> assertArrayEquals(shape, graph.get(name), name));
    }

    @Test
    void bothAttentionsOfABlockCountAsSelfAttentionInTheStepSplit() {
        var graph = SD3Graph.build(TINY, SIZE, 1, TEXT, Variant.parse("dense").tokens().patch(), BlockRange.ALL, source(WEIGHTS));
        var softmaxes = graph.proto().getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Softmax")).toList();
        assertEquals(TINY.layers() + TINY.dualAttentionLayers().size(), softmaxes.size(), "joint and dual attentions");
        softmaxes.forEach(n -> assertEquals(StepPart.SELF_ATTENTION, StepPart.of(n.getName()), n.getName()));
        assertTrue(graph.proto().getGraph().getNodeList().stream()
                .anyMatch(n -> n.getName().contains("/context/") && StepPart.of(n.getName()) == StepPart.FEED_FORWARD),
                "the text stream's feed-forward is feed-forward");
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
