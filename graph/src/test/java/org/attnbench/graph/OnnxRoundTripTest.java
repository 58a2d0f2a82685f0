package org.attnbench.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRoundTripTest {
    @TempDir
    Path dir;

    private static OnnxModel block() {
        GraphBuilder g = new GraphBuilder("block");
        Value x = g.input("hidden_states", DType.FLOAT32, 1, 16, 8);
        float[] w = new float[64];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i);
        Value weight = g.initializer("to_q.weight", HostTensor.of(w, 8, 8));
        Value bias = g.initializer("to_q.bias", HostTensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 8).toDType(DType.FLOAT16));
        Value q;
        try (GraphBuilder.Scope s = g.scope("attn1")) {
            q = g.add(g.matMul(x, g.transpose(weight, 1, 0)), g.cast(bias, DType.FLOAT32));
        }
        Value heads = g.transpose(g.reshape(q, 1, 16, 2, 4), 0, 2, 1, 3);
        g.output("out", g.reduceMean(heads, new long[] {-1}, true));
        return g.build();
    }

    @Test
    void buildingTwiceGivesTheSameBytes() {
        assertArrayEquals(block().proto().toByteArray(), block().proto().toByteArray());
    }

    @Test
    void absentTrailingInputsAreLeftOutAndInnerOnesWrittenEmpty() {
        GraphBuilder g = new GraphBuilder("t");
        Value x = g.input("x", DType.FLOAT32, 1, 1, 4, 4);
        g.resize(x, new float[] {1, 1, 2, 2}, "nearest", "asymmetric", "floor");
        g.resize(x, new long[] {1, 1, 2, 2}, "nearest", "asymmetric", "floor");
        g.slice(x, new long[] {0}, new long[] {2}, new long[] {2}, null);
        var nodes = g.build().proto().getGraph().getNodeList();
        assertEquals(java.util.List.of("x", "", "const"), nodes.get(0).getInputList().subList(0, 3));
        assertEquals(3, nodes.get(0).getInputCount());
        assertEquals(java.util.List.of("x", "", ""), nodes.get(1).getInputList().subList(0, 3));
        assertEquals(4, nodes.get(2).getInputCount());
    }

    @Test
    void embeddedModelReadsBackEqual() {
        OnnxModel built = block();
        Path file = dir.resolve("block.onnx");
        built.write(file);
        OnnxModel read = OnnxModel.read(file);
        assertEquals(built.proto(), read.proto());
        assertFalse(read.hasExternalWeights());
        assertFalse(Files.exists(dir.resolve("block.onnx.data")));
        assertTrue(built.proto().getGraph().getNodeList().stream().anyMatch(n -> n.getName().startsWith("attn1/")));
    }

    @Test
    void externalDataLandsBesideTheModelAndReadsBackEqual() {
        OnnxModel built = block();
        Path file = dir.resolve("block.onnx");
        built.write(file, true);
        assertTrue(Files.exists(dir.resolve("block.onnx.data")));
        OnnxModel read = OnnxModel.read(file);
        assertTrue(read.hasExternalWeights());
        GraphProto want = built.proto().getGraph();
        GraphProto got = read.proto().getGraph();
        assertEquals(want.getNodeList(), got.getNodeList());
        assertEquals(want.getInputList(), got.getInputList());
        assertEquals(want.getOutputList(), got.getOutputList());
        for (TensorProto t : got.getInitializerList()) {
            assertEquals(TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
        }
        Map<String, HostTensor> expected = built.initializers();
        Map<String, HostTensor> actual = read.initializers();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> {
            assertEquals(t.dtype(), actual.get(name).dtype(), name);
            assertArrayEquals(t.shape(), actual.get(name).shape(), name);
            assertArrayEquals(t.toByteArray(), actual.get(name).toByteArray(), name);
        });
    }

    @Test
    void weightsHeldInMemoryGoExternalButShapeOperandsStayInline() {
        GraphBuilder g = new GraphBuilder("big");
        Value x = g.input("x", DType.FLOAT32, 2, 128);
        Value w = g.initializer("w", HostTensor.of(new float[256], 256)); // 1 KiB: a weight
        g.output("y", g.reshape(g.add(g.reshape(x, 256), w), 16, 16)); // the shapes are shape operands
        OnnxModel built = g.build();
        Path file = dir.resolve("big.onnx");
        new OnnxModel(built.proto(), null, built.initializers()).write(file, true);
        for (TensorProto t : OnnxModel.read(file).proto().getGraph().getInitializerList()) {
            assertEquals(t.getName().equals("w") ? TensorProto.DataLocation.EXTERNAL : TensorProto.DataLocation.DEFAULT,
                    t.getDataLocation(), t.getName());
        }
        assertArrayEquals(new float[256], OnnxModel.read(file).initializer("w").orElseThrow().toFloats());
    }

    @Test
    void smallWeightsHeldInMemoryAreWrittenInsideTheFile() {
        GraphBuilder g = new GraphBuilder("small");
        Value x = g.input("x", DType.FLOAT32, 512);
        g.output("y", g.add(x, g.initializer("w", HostTensor.of(new float[512], 512))));
        OnnxModel built = g.build(false);
        assertEquals(java.util.Set.of("w"), built.memoryWeights().keySet());
        Path file = dir.resolve("small.onnx");
        built.write(file);
        assertTrue(!java.nio.file.Files.exists(dir.resolve("small.onnx.data")), "no data file for a small model");
        assertArrayEquals(new float[512], OnnxModel.read(file).initializer("w").orElseThrow().toFloats());
    }
}
