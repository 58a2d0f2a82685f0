package org.attnbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.onnx.Onnx.AttributeProto;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.OperatorSetIdProto;
import org.attnbench.graph.onnx.Onnx.TypeProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** Single-node cases the ONNX node tests leave out. */
class DjlOpEdgeCaseTest {
    private static final HostTensor M = HostTensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);

    @Test
    void gatherWithAScalarIndexDropsTheAxis() {
        HostTensor y = run("Gather", Map.of("axis", 1L), inputs("x", M, "i", HostTensor.of(new long[] {-1})));
        assertArrayEquals(new long[] {3}, y.shape());
        assertArrayEquals(new float[] {3, 7, 11}, y.toFloats());
    }

    @Test
    void sliceWithANegativeStepWalksBackwards() {
        HostTensor y = run("Slice", Map.of(), inputs("x", M, "starts", HostTensor.of(new long[] {-1}, 1),
                "ends", HostTensor.of(new long[] {Long.MIN_VALUE}, 1), "axes", HostTensor.of(new long[] {1}, 1),
                "steps", HostTensor.of(new long[] {-2}, 1)));
        assertArrayEquals(new float[] {3, 1, 7, 5, 11, 9}, y.toFloats());
    }

    @Test
    void splitTakesSizesFromItsInput() {
        HostTensor y = run("Split", Map.of("axis", -1L), inputs("x", M, "split", HostTensor.of(new long[] {1, 3}, 2)), 2);
        assertArrayEquals(new float[] {1, 2, 3, 5, 6, 7, 9, 10, 11}, y.toFloats());
    }

    @Test
    void reduceMaxOverTwoAxesWithoutKeepdims() {
        HostTensor y = run("ReduceMax", Map.of("axes", new long[] {0, -1}, "keepdims", 0L), inputs("x", M));
        assertArrayEquals(new long[] {}, y.shape());
        assertArrayEquals(new float[] {11}, y.toFloats());
    }

    @Test
    void resizeNearestDownsamplesLikeToDo() {
        // ToDo's "nearest": top-left token of each 2 x 2 cell (asymmetric, floor).
        HostTensor y = run("Resize", Map.of("mode", "nearest", "coordinate_transformation_mode", "asymmetric",
                "nearest_mode", "floor"), inputs("x", M.reshape(1, 1, 3, 4), "roi", null,
                "scales", HostTensor.of(new float[] {1, 1, 0.5f, 0.5f}, 4)));
        assertArrayEquals(new long[] {1, 1, 1, 2}, y.shape());
        assertArrayEquals(new float[] {0, 2}, y.toFloats());
    }

    @Test
    void avgPoolExcludesAsymmetricPads() {
        HostTensor y = run("AveragePool", Map.of("kernel_shape", new long[] {2, 2}, "pads", new long[] {0, 0, 1, 1},
                "strides", new long[] {2, 2}), inputs("x", M.reshape(1, 1, 3, 4)));
        assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {2.5f, 4.5f, 8.5f, 10.5f}, y.toFloats());
    }

    @Test
    void dilatedMaxPoolWithAsymmetricPads() {
        HostTensor y = run("MaxPool", Map.of("kernel_shape", new long[] {2, 2}, "dilations", new long[] {2, 2},
                "pads", new long[] {1, 0, 0, 1}), inputs("x", M.reshape(1, 1, 3, 4)));
        assertArrayEquals(new long[] {1, 1, 2, 3}, y.shape());
        assertArrayEquals(new float[] {6, 7, 6, 10, 11, 10}, y.toFloats());
    }

    @Test
    void groupedStridedConvTransposeWithOutputPadding() {
        // 1 x 1 kernels, one channel per group: each output channel is its input channel, scaled,
        // with a zero after every element (stride 2 along W, output_padding 1 at the end).
        HostTensor y = run("ConvTranspose", Map.of("group", 2L, "strides", new long[] {1, 2},
                "output_padding", new long[] {0, 1}), inputs(
                "x", HostTensor.of(new float[] {1, 2, 3, 4}, 1, 2, 1, 2),
                "w", HostTensor.of(new float[] {2, 3}, 2, 1, 1, 1)));
        assertArrayEquals(new long[] {1, 2, 1, 4}, y.shape());
        assertArrayEquals(new float[] {2, 0, 4, 0, 9, 0, 12, 0}, y.toFloats());
    }

    @Test
    void scatterAddThroughAutogradLeavesNothingBehind() {
        HostTensor y = run("ScatterElements", Map.of("axis", 0L, "reduction", "add"), inputs("x", M,
                "i", HostTensor.of(new long[] {2, 2, 2, 2}, 1, 4), "u", HostTensor.of(new float[] {1, 1, 1, 1}, 1, 4)));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12}, y.toFloats());
    }

    private static Map<String, HostTensor> inputs(Object... kv) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (HostTensor) kv[i + 1]);
        return m;
    }

    private static HostTensor run(String op, Map<String, Object> attrs, Map<String, HostTensor> inputs) {
        return run(op, attrs, inputs, 1);
    }

    /** Runs one node and returns its last output; a null input is an absent optional one. */
    private static HostTensor run(String op, Map<String, Object> attrs, Map<String, HostTensor> inputs, int outputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op);
        GraphProto.Builder g = GraphProto.newBuilder().setName(op);
        Map<String, HostTensor> feed = new LinkedHashMap<>();
        inputs.forEach((name, t) -> {
            node.addInput(t == null ? "" : name);
            if (t == null) return;
            feed.put(name, t);
            g.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.dtype().onnxCode()))));
        });
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            names.add("y" + i);
            node.addOutput("y" + i);
            g.addOutput(ValueInfoProto.newBuilder().setName("y" + i).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
        }
        attrs.forEach((k, v) -> node.addAttribute(attribute(k, v)));
        g.addNode(node);
        OnnxModel model = OnnxModel.of(ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build());
        try (Executable exe = new DjlBackend().compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            HostTensor y = exe.run(feed).get(names.get(outputs - 1));
            assertEquals(0, ((DjlExecutable) exe).strayArrays(), op + " left arrays on the device");
            return y;
        }
    }

    private static AttributeProto attribute(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Long l) return a.setType(AttributeProto.AttributeType.INT).setI(l).build();
        if (v instanceof String s) return a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s)).build();
        a.setType(AttributeProto.AttributeType.INTS);
        for (long l : (long[]) v) a.addInts(l);
        return a.build();
    }
}
