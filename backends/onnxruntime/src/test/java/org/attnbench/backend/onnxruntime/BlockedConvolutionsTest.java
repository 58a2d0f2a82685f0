package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/**
 * Filters blocked once per process compute what ORT's own blocking (a per-session copy) and the
 * plain layout compute, for the convolutions a UNet has: 3x3 with padding, strided, 1x1, and one
 * whose 4 input channels are not a block (left as it is).
 */
class BlockedConvolutionsTest {
    private static final Random RANDOM = new Random(11);
    private static final HostTensor CONV_IN = random(32, 4, 3, 3);
    private static final HostTensor CONV = random(32, 32, 3, 3);
    private static final HostTensor DOWN = random(48, 32, 3, 3);
    private static final HostTensor SHORTCUT = random(48, 32, 1, 1);
    private static final HostTensor BIAS = random(48);

    private static HostTensor random(long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) RANDOM.nextGaussian() * 0.2f;
        return HostTensor.of(v, shape);
    }

    private static OnnxModel graph() {
        GraphBuilder g = new GraphBuilder("convs");
        Value x = g.input("x", DType.FLOAT32, 2, 4, 9, 11);
        long[] pad1 = {1, 1, 1, 1};
        Value h = g.conv(x, g.initializer("conv_in", CONV_IN), null, null, pad1, null, 1);
        h = g.conv(h, g.initializer("conv", CONV), null, null, pad1, null, 1);
        Value bias = g.initializer("bias", BIAS);
        g.output("down", g.conv(h, g.initializer("down_w", DOWN), bias, new long[] {2, 2}, pad1, null, 1));
        g.output("shortcut", g.conv(h, g.initializer("shortcut_w", SHORTCUT), bias, null, null, null, 1));
        return g.build(false);
    }

    @Test
    void blockedSharedFiltersComputeWhatOrtsOwnBlockingDoes() {
        int block = BlockedConvolutions.blockSize();
        assumeTrue(block > 1, "this CPU has no NCHWc kernels");
        float[] x = random(2, 4, 9, 11).toFloats();
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(x, 2, 4, 9, 11));
        OrtBackend ort = new OrtBackend();
        OnnxModel model = graph();
        try (Executable blocked = ort.compile(model, Device.CPU, options("shared", "nchwc"));
             Executable plain = ort.compile(model, Device.CPU, options("shared", "nchw"));
             Executable ortBlocks = ort.compile(model, Device.CPU, options("per-session", "nchwc"))) {
            assertEquals("nchwc" + block, blocked.settings().get("conv_layout"));
            assertEquals("nchw", plain.settings().get("conv_layout"));
            Map<String, HostTensor> a = blocked.run(in);
            for (Executable other : List.of(plain, ortBlocks)) {
                Map<String, HostTensor> b = other.run(in);
                for (String out : List.of("down", "shortcut")) {
                    assertArrayEquals(b.get(out).shape(), a.get(out).shape(), out);
                    assertArrayEquals(b.get(out).toFloats(), a.get(out).toFloats(), 1e-4f, out);
                }
            }
        }
    }

    /** A weight's stable identity, as {@code SharedWeights} gives one. */
    private record WeightName(String name) {}

    @Test
    void aBlockedFiltersPlainCopyIsLetGoAndItsBlockedCopyServesItReadAgain() {
        assumeTrue(BlockedConvolutions.blockSize() > 1, "this CPU has no NCHWc kernels");
        float[] values = CONV.toFloats();
        HostTensor filter = HostTensor.of(values, 32, 32, 3, 3).withIdentity(new WeightName("conv"));
        WeakReference<HostTensor> plain = new WeakReference<>(filter);
        Map<String, HostTensor> in = Map.of("x", random(1, 32, 5, 5));
        OrtBackend ort = new OrtBackend();
        int before = SharedInitializers.live();
        try (Executable first = ort.compile(oneConv(filter), Device.CPU, options("shared", "nchwc"))) {
            filter = null;
            assertTrue(collected(plain), "the session holds the blocked copy only");
            assertEquals(before + 1, SharedInitializers.live());
            HostTensor readAgain = HostTensor.of(values, 32, 32, 3, 3).withIdentity(new WeightName("conv"));
            try (Executable second = ort.compile(oneConv(readAgain), Device.CPU, options("shared", "nchwc"))) {
                assertEquals(before + 1, SharedInitializers.live(), "the same weight read again is blocked once");
                assertArrayEquals(first.run(in).get("y").toFloats(), second.run(in).get("y").toFloats());
            }
        }
        assertEquals(before, SharedInitializers.live());
    }

    private static OnnxModel oneConv(HostTensor filter) {
        GraphBuilder g = new GraphBuilder("conv");
        Value x = g.input("x", DType.FLOAT32, 1, 32, 5, 5);
        g.output("y", g.conv(x, g.initializer("conv", filter), null, null, new long[] {1, 1, 1, 1}, null, 1));
        return g.build(false);
    }

    private static boolean collected(WeakReference<?> ref) {
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ref.get() == null;
    }

    @Test
    void onlyFiltersOfWholeBlocksAreRewritten() {
        OnnxModel model = graph();
        var declared = WeightInputs.declare(model.proto(), model.memoryWeights().keySet());
        BlockedConvolutions.Rewrite rewrite = BlockedConvolutions.apply(declared, model.memoryWeights().keySet(), 16);
        assertEquals(Set.of("conv", "down_w", "shortcut_w"), rewrite.blockedFilters());
        List<String> ops = rewrite.model().getGraph().getNodeList().stream()
                .filter(n -> !n.getOpType().equals("Identity")) // the graph's outputs
                .map(n -> (n.getDomain().isEmpty() ? "" : "nchwc.") + n.getOpType()).toList();
        assertEquals(List.of("Conv",
                "nchwc.ReorderInput", "nchwc.Conv", "nchwc.ReorderOutput",
                "nchwc.ReorderInput", "nchwc.Conv", "nchwc.ReorderOutput",
                "nchwc.ReorderInput", "nchwc.Conv", "nchwc.ReorderOutput"), ops);
        NodeProto conv = rewrite.model().getGraph().getNode(2);
        assertEquals("nchwc.Conv", conv.getDomain().replace(BlockedConvolutions.DOMAIN, "nchwc") + "." + conv.getOpType());
        assertEquals("conv" + BlockedConvolutions.SUFFIX, conv.getInput(1));
        assertTrue(rewrite.model().getGraph().getInputList().stream().noneMatch(i -> i.getName().equals("conv")),
                "the plain filter is no longer an input");
    }

    @Test
    void reorderIsOutputBlocksThenInputBlocksThenKernelThenInputThenOutput() {
        // Filter [4, 4, 1, 2] with block 2; the value encodes its own index o*100 + i*10 + k.
        float[] f = new float[32];
        for (int o = 0; o < 4; o++) for (int i = 0; i < 4; i++) for (int k = 0; k < 2; k++) f[(o * 4 + i) * 2 + k] = o * 100 + i * 10 + k;
        float[] r = BlockedConvolutions.reorder(f, new long[] {4, 4, 1, 2}, 2);
        assertArrayEquals(new float[] {0, 100, 10, 110, 1, 101, 11, 111}, java.util.Arrays.copyOfRange(r, 0, 8),
                "output block 0, input block 0: kernel 0 then 1, each [input][output]");
        assertArrayEquals(new float[] {20, 120, 30, 130}, java.util.Arrays.copyOfRange(r, 8, 12), "then input block 1");
        assertEquals(200, r[16], "output block 1 starts at half the filter");
    }

    private static CompileOptions options(String weights, String layout) {
        return new CompileOptions(DType.FLOAT32, 0, 0, Map.of("weights", weights, "conv_layout", layout));
    }
}
