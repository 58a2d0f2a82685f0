package org.attnbench.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/**
 * The float16 conversion: matrix work and weights in float16; normalizations, softmax, reducing
 * scatters, the timestep sinusoid and Resize's scales in float32; float32 at the graph's ends;
 * in-memory weights converted once for every graph that shares them.
 */
class Float16GraphTest {
    private static final int F32 = DType.FLOAT32.onnxCode();
    private static final int F16 = DType.FLOAT16.onnxCode();
    private static final HostTensor W = HostTensor.of(new float[64 * 64], 64, 64);

    private static OnnxModel graph() {
        GraphBuilder g = new GraphBuilder("mixed");
        Value x = g.input("x", DType.FLOAT32, 1, 64, 64);
        Value t = g.input("t", DType.FLOAT32, 1);
        Value proj;
        try (var s = g.scope("time_proj")) {
            proj = g.op("Sin", g.mul(g.unsqueeze(t, 1), g.constScalar(0.5f)));
        }
        Value h = g.matMul(g.add(x, proj), g.initializer("w", W));
        Value normed = g.layerNorm(h, g.initializer("ln_scale", HostTensor.of(new float[64], 64)), null, -1, 1e-5f);
        Value probs = g.softmax(g.matMul(normed, g.transpose(normed, 0, 2, 1)), -1);
        Value merged = g.scatterElements(probs, g.expand(g.constLongs(0), 1, 64, 64), probs, 1, "add");
        Value big = g.resize(g.unsqueeze(merged, 0), new float[] {1, 1, 2, 2}, "nearest", "asymmetric", "floor");
        g.output("y", big);
        return g.build(false);
    }

    @Test
    void keepsFloat32WherePrecisionNeedsIt() {
        OnnxModel half = Float16Graph.convert(graph());
        GraphProto g = half.proto().getGraph();
        Map<String, Integer> types = types(g);
        assertEquals(F32, types.get("x"), "inputs stay float32");
        assertEquals(F32, types.get("y"), "outputs stay float32");
        assertEquals(DType.FLOAT16, half.memoryWeights().get("w").dtype(), "the MatMul weight is float16");
        for (NodeProto n : g.getNodeList()) {
            int expected = switch (n.getOpType()) {
                case "LayerNormalization", "Softmax", "ScatterElements", "Sin" -> F32;
                case "MatMul", "Transpose", "Add" -> F16;
                default -> -1;
            };
            if (expected < 0) continue;
            for (String in : n.getInputList()) {
                if (types.get(in) == F32 || types.get(in) == F16) assertEquals(expected, types.get(in), n.getName() + " reads " + in);
            }
        }
        NodeProto resize = g.getNodeList().stream().filter(n -> n.getOpType().equals("Resize")).findFirst().orElseThrow();
        assertEquals(F16, types.get(resize.getInput(0)));
        assertEquals(F32, types.get(resize.getInput(2)), "Resize's scales are float32 whatever the data");
        NodeProto last = g.getNode(g.getNodeCount() - 1);
        assertEquals("Cast", last.getOpType());
        assertEquals("y", last.getOutput(0), "a Cast makes the float32 output from the float16 result");
    }

    @Test
    void convertsSharedWeightsOnce() {
        OnnxModel a = Float16Graph.convert(graph());
        OnnxModel b = Float16Graph.convert(graph());
        assertSame(a.memoryWeights().get("w"), b.memoryWeights().get("w"));
        TensorProto w = a.proto().getGraph().getInitializerList().stream().filter(t -> t.getName().equals("w")).findFirst()
                .orElseThrow();
        assertEquals(F16, w.getDataType());
    }

    private static Map<String, Integer> types(GraphProto g) {
        Map<String, Integer> types = new HashMap<>();
        for (var list : java.util.List.of(g.getInputList(), g.getOutputList(), g.getValueInfoList())) {
            for (ValueInfoProto v : list) types.put(v.getName(), v.getType().getTensorType().getElemType());
        }
        for (TensorProto t : g.getInitializerList()) types.put(t.getName(), t.getDataType());
        return types;
    }
}
