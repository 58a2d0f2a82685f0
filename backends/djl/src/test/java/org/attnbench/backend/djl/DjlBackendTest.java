package org.attnbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.DeviceStatus;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TensorShapeProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

class DjlBackendTest {
    private final Backend backend = new DjlBackend();

    @Test
    void isFoundByNameAndReportsDevicesAndVersions() {
        assertEquals("djl", Backends.byName("djl").name());
        List<DeviceStatus> devices = backend.devices();
        assertTrue(devices.stream().anyMatch(d -> d.device().equals(Device.CPU) && d.available()));
        assertTrue(devices.stream().anyMatch(d -> d.device().isCuda()), "a CUDA entry, usable or with its reason");
        devices.stream().filter(d -> !d.available()).forEach(d -> assertTrue(!d.reason().isBlank()));
        assertEquals(List.of("djl", "libtorch"), List.copyOf(backend.versions().keySet()));
    }

    /** y = relu(x W + b), with x [2, 3]. */
    private static OnnxModel linearRelu() {
        GraphBuilder g = new GraphBuilder("linear");
        Value x = g.input("x", DType.FLOAT32, 2, 3);
        Value w = g.initializer("w", HostTensor.of(new float[] {1, -1, 0.5f, 2, 0, 1, -2, 1, 0.25f, 0, 3, -1}, 3, 4));
        Value b = g.initializer("b", HostTensor.of(new float[] {0.5f, 0, -0.5f, 1}, 4));
        // The weight comes first in Add, so its result starts in the weights' manager.
        g.output("y", g.op("Relu", g.add(b, g.matMul(x, w))));
        return g.build();
    }

    private static final HostTensor X = HostTensor.of(new float[] {1, 2, 3, -1, 0.5f, 2}, 2, 3);

    @Test
    void runsAGraphAndFreesEveryIntermediate() {
        try (Executable exe = backend.compile(linearRelu(), Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor y = exe.run(Map.of("x", X)).get("y");
            assertArrayEquals(new long[] {2, 4}, y.shape());
            // row 0: [1, 2, 3] W = [1.75, 1, 5.5, 1], plus b
            assertArrayEquals(new float[] {2.25f, 1f, 5f, 2f}, java.util.Arrays.copyOf(y.toFloats(), 4), 1e-6f);
            exe.run(Map.of("x", X));
            assertEquals(0, ((DjlExecutable) exe).strayArrays(), "arrays left on the device after a run");
        }
    }

    @Test
    void wrongInputShapeNamesTheInput() {
        try (Executable exe = backend.compile(linearRelu(), Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor bad = HostTensor.of(new float[] {1, 2, 3}, 1, 3);
            UserError e = assertThrows(UserError.class, () -> exe.run(Map.of("x", bad)));
            assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[1, 3]")
                    && e.getMessage().contains("[2, 3]"), e.getMessage());
        }
    }

    @Test
    void fp16CastsAtTheBoundary() {
        float[] expected;
        try (Executable exe = backend.compile(linearRelu(), Device.CPU, CompileOptions.DEFAULT)) {
            expected = exe.run(Map.of("x", X)).get("y").toFloats();
        }
        try (Executable exe = backend.compile(linearRelu(), Device.CPU, CompileOptions.DEFAULT.withDType(DType.FLOAT16))) {
            HostTensor y = exe.run(Map.of("x", X)).get("y");
            assertEquals(DType.FLOAT32, y.dtype(), "outputs keep their declared dtype");
            assertArrayEquals(expected, y.toFloats(), 1e-2f);
            assertEquals("float16", exe.settings().get("dtype"));
        }
    }

    /** softmax(layernorm(x) W), the shape of an attention score. */
    private static OnnxModel normalizedScores() {
        GraphBuilder g = new GraphBuilder("scores");
        Value x = g.input("x", DType.FLOAT32, 2, 3);
        Value scale = g.initializer("scale", HostTensor.of(new float[] {1, 0.5f, 2}, 3));
        Value bias = g.initializer("bias", HostTensor.of(new float[] {0, 0.1f, -0.1f}, 3));
        Value w = g.initializer("w", HostTensor.of(new float[] {1, -1, 0.5f, 2, 0, 1, -2, 1, 0.25f, 0, 3, -1}, 3, 4));
        Value n = g.op("LayerNormalization", Map.of("axis", -1L), x, scale, bias);
        g.output("p", g.softmax(g.matMul(n, w), -1));
        return g.build();
    }

    @Test
    void fp16RunsNormalizationAndSoftmax() {
        float[] expected;
        try (Executable exe = backend.compile(normalizedScores(), Device.CPU, CompileOptions.DEFAULT)) {
            expected = exe.run(Map.of("x", X)).get("p").toFloats();
        }
        try (Executable exe = backend.compile(normalizedScores(), Device.CPU, CompileOptions.DEFAULT.withDType(DType.FLOAT16))) {
            HostTensor p = exe.run(Map.of("x", X)).get("p");
            assertEquals(DType.FLOAT32, p.dtype());
            assertArrayEquals(expected, p.toFloats(), 5e-3f);
        }
    }

    @Test
    void bf16IsRefusedWithAReason() {
        UserError e = assertThrows(UserError.class, () -> backend.compile(normalizedScores(), Device.CPU,
                CompileOptions.DEFAULT.withDType(DType.BFLOAT16)));
        assertTrue(e.getMessage().contains("BFLOAT16"), e.getMessage());
    }

    @Test
    void recordsThreadSettings() {
        try (Executable exe = backend.compile(linearRelu(), Device.CPU, CompileOptions.DEFAULT.withThreads(1, 0))) {
            assertEquals("1", exe.settings().get("intraOpThreads"));
        }
    }

    @Test
    void unsupportedNamesOpAndAttribute() {
        NodeProto resize = NodeProto.newBuilder().setOpType("Resize").addInput("x").addInput("").addInput("s")
                .addOutput("y").addAttribute(AttributeProto.newBuilder().setName("exclude_outside")
                        .setType(AttributeProto.AttributeType.INT).setI(1))
                .build();
        OnnxModel model = model(resize, List.of(info("x", DType.FLOAT32, 1, 1, 2, 2), info("s", DType.FLOAT32, 4)),
                info("y", DType.FLOAT32, 1, 1, 4, 4));
        assertEquals("op Resize with exclude_outside=1", backend.unsupported(model).orElseThrow());
        NodeProto unknown = NodeProto.newBuilder().setOpType("Gelu").addInput("x").addOutput("y").build();
        assertEquals("op Gelu", backend.unsupported(model(unknown, List.of(info("x", DType.FLOAT32, 2)),
                info("y", DType.FLOAT32, 2))).orElseThrow());
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        NodeProto topk = NodeProto.newBuilder().setOpType("TopK").addInput("x").addInput("k")
                .addOutput("v").addOutput("i").build();
        OnnxModel model = model(topk, List.of(info("x", DType.FLOAT32, 2, 5), info("k", DType.INT64, 1)),
                info("v", DType.FLOAT32, 2, 3), info("i", DType.INT64, 2, 3));
        try (Executable exe = backend.compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            Map<String, HostTensor> out = exe.run(Map.of(
                    "x", HostTensor.of(new float[] {1, 3, 3, 2, 3, 5, 5, 5, 5, 5}, 2, 5),
                    "k", HostTensor.of(new long[] {3}, 1)));
            assertArrayEquals(new long[] {1, 2, 4, 0, 1, 2}, out.get("i").toLongs());
            assertArrayEquals(new float[] {3, 3, 3, 5, 5, 5}, out.get("v").toFloats());
        }
    }

    @Test
    void scatterElementsReducesDuplicates() {
        for (String reduction : List.of("add", "mul")) {
            NodeProto scatter = NodeProto.newBuilder().setOpType("ScatterElements").addInput("data").addInput("idx")
                    .addInput("upd").addOutput("y").addAttribute(AttributeProto.newBuilder().setName("axis")
                            .setType(AttributeProto.AttributeType.INT).setI(1))
                    .addAttribute(AttributeProto.newBuilder().setName("reduction")
                            .setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(reduction)))
                    .build();
            OnnxModel model = model(scatter, List.of(info("data", DType.INT64, 2, 3), info("idx", DType.INT64, 1, 3),
                    info("upd", DType.INT64, 1, 3)), info("y", DType.INT64, 2, 3));
            try (Executable exe = backend.compile(model, Device.CPU, CompileOptions.DEFAULT)) {
                HostTensor y = exe.run(Map.of("data", HostTensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3),
                        "idx", HostTensor.of(new long[] {0, -3, 2}, 1, 3),
                        "upd", HostTensor.of(new long[] {10, 20, 30}, 1, 3))).get("y");
                long[] expected = reduction.equals("add") ? new long[] {31, 2, 33, 4, 5, 6} : new long[] {200, 2, 90, 4, 5, 6};
                assertArrayEquals(expected, y.toLongs(), reduction);
            }
        }
    }

    @Test
    void einsumContractsLikeBatchedMatMul() {
        NodeProto einsum = NodeProto.newBuilder().setOpType("Einsum").addInput("q").addInput("k").addOutput("s")
                .addAttribute(AttributeProto.newBuilder().setName("equation").setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8("bhid, bhjd -> bhij")))
                .build();
        OnnxModel model = model(einsum, List.of(info("q", DType.FLOAT32, 1, 2, 2, 3), info("k", DType.FLOAT32, 1, 2, 1, 3)),
                info("s", DType.FLOAT32, 1, 2, 2, 1));
        try (Executable exe = backend.compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor s = exe.run(Map.of(
                    "q", HostTensor.of(new float[] {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}, 1, 2, 2, 3),
                    "k", HostTensor.of(new float[] {1, 1, 1, 2, 3, 4}, 1, 2, 1, 3))).get("s");
            assertArrayEquals(new long[] {1, 2, 2, 1}, s.shape());
            assertArrayEquals(new float[] {6, 15, 2, 3}, s.toFloats());
        }
    }

    private static ValueInfoProto info(String name, DType dtype, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()).setShape(s))).build();
    }

    private static OnnxModel model(NodeProto node, List<ValueInfoProto> inputs, ValueInfoProto... outputs) {
        GraphProto g = GraphProto.newBuilder().setName("t").addNode(node).addAllInput(inputs)
                .addAllOutput(List.of(outputs)).build();
        return OnnxModel.of(ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build());
    }
}
