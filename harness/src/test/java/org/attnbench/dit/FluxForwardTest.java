package org.attnbench.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.Float16Graph;
import org.attnbench.graph.OnnxModel;
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.dit.FluxConfig;
import org.attnbench.models.dit.FluxGraph;
import org.attnbench.models.dit.FluxWeights;
import org.attnbench.models.reference.ReferenceFlux;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny Flux (2 double-stream and 2 single-stream blocks of width 16, rotary axes 2 + 2 + 4, a
 * guidance embedder; an 8 x 8 grid of packed tokens) and the same without guidance (schnell's
 * form) against the float64 reference, every weight drawn: each method on both backends, the
 * identity settings equal to dense, the block range honoured across both kinds of block, and the
 * graph reading exactly the tensors a checkpoint holds.
 */
class FluxForwardTest {
    private static final FluxConfig TINY = FluxConfig.load("flux-tiny");
    private static final FluxConfig NO_GUIDANCE = FluxConfig.parse("tiny-schnell", "{\"attention_head_dim\": 8, "
            + "\"num_attention_heads\": 2, \"num_layers\": 1, \"num_single_layers\": 2, \"joint_attention_dim\": 32, "
            + "\"pooled_projection_dim\": 24, \"axes_dims_rope\": [2, 2, 4], \"guidance_embeds\": false}");
    private static final ImageSize SIZE = ImageSize.square(128);
    private static final int BATCH = 2;
    private static final int TEXT = 5;
    private static final double TOLERANCE = 2e-4;
    private static final Map<String, HostTensor> WEIGHTS = DitTesting.drawn(FluxWeights.parameters(TINY));
    private static final Map<String, HostTensor> INPUTS = inputs(SIZE);

    private static Map<String, HostTensor> inputs(ImageSize size) {
        SplittableRandom rng = new SplittableRandom(8);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.SAMPLE, DitTesting.gaussian(rng, 1, BATCH, 16, size.height() / 8, size.width() / 8));
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(new float[] {1000, 251}, BATCH));
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, DitTesting.gaussian(rng, 1, BATCH, TEXT, TINY.jointAttentionDim()));
        in.put(DenoiserIO.TEXT_EMBEDS, DitTesting.gaussian(rng, 1, BATCH, TINY.pooledProjectionDim()));
        in.put(DenoiserIO.GUIDANCE, HostTensor.of(new float[] {3.5f, 2f}, BATCH));
        return in;
    }

    static float[] run(FluxConfig config, Map<String, HostTensor> weights, String backend, String variant, BlockRange blocks,
            ImageSize size, Map<String, HostTensor> inputs) {
        var graph = FluxGraph.build(config, size, BATCH, TEXT, Variant.parse(variant).tokens().patch(), blocks,
                DitTesting.source(weights));
        Map<String, HostTensor> in = new LinkedHashMap<>(inputs);
        if (!config.guidanceEmbeds()) in.remove(DenoiserIO.GUIDANCE);
        try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor out = exe.run(in).get(DenoiserIO.OUT_SAMPLE);
            assertArrayEquals(inputs.get(DenoiserIO.SAMPLE).shape(), out.shape());
            return out.toFloats();
        }
    }

    static float[] run(String backend, String variant, BlockRange blocks) {
        return run(TINY, WEIGHTS, backend, variant, blocks, SIZE, INPUTS);
    }

    /** The reference's prediction for the whole batch, flattened as the graph's. */
    static double[] reference(FluxConfig config, Map<String, HostTensor> weights, String variant, IntPredicate patched,
            Map<String, HostTensor> inputs) {
        ReferenceFlux ref = new ReferenceFlux(new ReferenceFlux.Shape(config.heads(), config.dim(), config.inChannels(),
                config.layers(), config.singleLayers(), config.axesDimsRope()), weights);
        float[] t = inputs.get(DenoiserIO.TIMESTEP).toFloats();
        float[] guidance = inputs.get(DenoiserIO.GUIDANCE).toFloats();
        double[][][][] pred = new double[BATCH][][][];
        for (int b = 0; b < BATCH; b++) {
            double g = config.guidanceEmbeds() ? guidance[b] : Double.NaN;
            pred[b] = ref.forward(DitTesting.image(inputs.get(DenoiserIO.SAMPLE), b), t[b], g,
                    DitTesting.rows(inputs.get(DenoiserIO.ENCODER_HIDDEN_STATES), b),
                    DitTesting.vector(inputs.get(DenoiserIO.TEXT_EMBEDS), b), Variant.parse(variant).tokens().patch().atBlock(1), patched, b,
                    BATCH);
        }
        return DitTesting.flatten(pred);
    }

    static double[] reference(String variant, IntPredicate patched) {
        return reference(TINY, WEIGHTS, variant, patched, INPUTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2", "todo:factor=2,method=avg_pool", "todo:factor=2,method=max_pool",
            "todo:factor=4,method=bilinear", "todo:factor=3,method=area", "tome:ratio=0.5", "tome-kv:ratio=0.5",
            "dense:kernel=fused", "todo:factor=2,kernel=fused"})
    void bothBackendsMatchTheFloat64Reference(String variant) {
        double[] expected = reference(variant, i -> true);
        for (String backend : new String[] {"onnxruntime", "djl"}) {
            DitTesting.assertClose(expected, run(backend, variant, BlockRange.ALL), TOLERANCE, backend + " " + variant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2", "tome:ratio=0.5"})
    void withoutAGuidanceEmbedderAsSchnellMatchesToo(String variant) {
        Map<String, HostTensor> weights = DitTesting.drawn(FluxWeights.parameters(NO_GUIDANCE));
        double[] expected = reference(NO_GUIDANCE, weights, variant, i -> true, INPUTS);
        for (String backend : new String[] {"onnxruntime", "djl"}) {
            DitTesting.assertClose(expected, run(NO_GUIDANCE, weights, backend, variant, BlockRange.ALL, SIZE, INPUTS), TOLERANCE,
                    backend + " " + variant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2", "todo:factor=2,method=avg_pool", "tome:ratio=0.5"})
    void aNonSquareImageMatchesToo(String variant) {
        ImageSize wide = new ImageSize(96, 160); // a 6 x 10 grid of packed tokens
        Map<String, HostTensor> inputs = inputs(wide);
        double[] expected = reference(TINY, WEIGHTS, variant, i -> true, inputs);
        for (String backend : new String[] {"onnxruntime", "djl"}) {
            DitTesting.assertClose(expected, run(TINY, WEIGHTS, backend, variant, BlockRange.ALL, wide, inputs), TOLERANCE,
                    backend + " " + variant);
        }
    }

    /**
     * The float16 graph against the float32 one at 512 px (a 32 x 32 grid, rotary angles up to 31
     * radians on the row and column axes), on ONNX Runtime and DJL, within a relative L2 error of
     * 1e-2: the rotations stay float32, as diffusers keeps them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2,kernel=fused", "tome:ratio=0.5"})
    void float16GraphMatchesFloat32WithItsRotationsInFloat32(String variant) {
        ImageSize size = ImageSize.square(512);
        Map<String, HostTensor> inputs = inputs(size);
        OnnxModel model = FluxGraph.build(TINY, size, BATCH, TEXT, Variant.parse(variant).tokens().patch(), BlockRange.ALL,
                DitTesting.source(WEIGHTS));
        OnnxModel half = Float16Graph.convert(model);
        var valueTypes = new java.util.HashMap<String, Integer>();
        half.proto().getGraph().getValueInfoList().forEach(v -> valueTypes.put(v.getName(), v.getType().getTensorType().getElemType()));
        var rotations = half.proto().getGraph().getNodeList().stream().filter(n -> n.getName().contains("/rotary/")
                && (n.getOpType().equals("Mul") || n.getOpType().equals("Cos"))).toList();
        assertTrue(!rotations.isEmpty());
        rotations.forEach(n -> assertEquals(DType.FLOAT32.onnxCode(), valueTypes.get(n.getOutput(0)), n.getName()));
        float[] fp32 = run("onnxruntime", model, CompileOptions.DEFAULT, inputs);
        double ort = relL2(run("onnxruntime", model, CompileOptions.DEFAULT.withDType(DType.FLOAT16), inputs), fp32);
        double djl = relL2(run("djl", half, CompileOptions.DEFAULT, inputs), fp32);
        assertTrue(ort < 1e-2 && ort > 0, "ONNX Runtime fp16: " + ort);
        assertTrue(djl < 1e-2 && djl > 0, "DJL on the converted graph: " + djl);
    }

    private static float[] run(String backend, OnnxModel model, CompileOptions options, Map<String, HostTensor> inputs) {
        try (Executable exe = Backends.byName(backend).compile(model, Device.CPU, options)) {
            return exe.run(inputs).get(DenoiserIO.OUT_SAMPLE).toFloats();
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

    @Test
    void theGraphReadsExactlyTheCheckpointsParameters() {
        for (FluxConfig config : new FluxConfig[] {TINY, NO_GUIDANCE}) {
            Map<String, long[]> graph = FluxGraph.expectedWeights(config);
            Map<String, long[]> listed = FluxWeights.parameters(config);
            assertEquals(new TreeSet<>(listed.keySet()), new TreeSet<>(graph.keySet()), config.name());
            listed.forEach((name, shape) -> assertArrayEquals(shape, graph.get(name), name));
        }
    }

    @Test
    void everyAttentionCountsAsSelfAttentionAndTheMlpsAsFeedForward() {
        var graph = FluxGraph.build(TINY, SIZE, 1, TEXT, Variant.parse("dense").tokens().patch(), BlockRange.ALL,
                DitTesting.source(WEIGHTS));
        var nodes = graph.proto().getGraph().getNodeList();
        var softmaxes = nodes.stream().filter(n -> n.getOpType().equals("Softmax")).toList();
        assertEquals(TINY.layers() + TINY.singleLayers(), softmaxes.size(), "one attention per block");
        softmaxes.forEach(n -> assertEquals(StepPart.SELF_ATTENTION, StepPart.of(n.getName()), n.getName()));
        assertTrue(nodes.stream().anyMatch(n -> n.getName().contains("single_transformer_blocks.0/ff/")
                && n.getOpType().equals("Tanh")), "the single-stream MLP is feed-forward");
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void identitySettingsEqualDense(String backend) {
        DitTesting.assertIdentitiesEqualDense(backend, (b, variant) -> run(b, variant, BlockRange.ALL));
    }

    @Test
    void onlyTheBlocksInRangeArePatchedCountingSingleStreamBlocksAfterDoubleStreamOnes() {
        double[] expected = reference("todo:factor=2", i -> i == 2); // the first single-stream block
        DitTesting.assertClose(expected, run("onnxruntime", "todo:factor=2", BlockRange.parse("2-2")), TOLERANCE, "blocks 2-2");
        double[] all = reference("todo:factor=2", i -> true);
        double diff = 0;
        for (int i = 0; i < all.length; i++) diff = Math.max(diff, Math.abs(all[i] - expected[i]));
        assertTrue(diff > 1e-3, "patching the other blocks too changes the output (by " + diff + ")");
    }
}
