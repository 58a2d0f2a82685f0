package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** In-memory weights become inputs; a linear layer over one becomes Gemm(transB), computing the same. */
class WeightInputsTest {
    private static final Random RANDOM = new Random(3);
    private static final HostTensor W = random(4, 300);
    private static final HostTensor V = random(300, 5);

    private static HostTensor random(long... shape) {
        float[] v = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < v.length; i++) v[i] = (float) RANDOM.nextGaussian();
        return HostTensor.of(v, shape);
    }

    /** y = linear(x, W, b) on [2, 3, 300], plus z = x · V (a weight used without a transpose). */
    private static OnnxModel graph(boolean alsoReadTransposed) {
        GraphBuilder g = new GraphBuilder("linear3d");
        Value x = g.input("x", DType.FLOAT32, 2, 3, 300);
        Value w = g.initializer("w", W);
        Value y = g.linear(x, w, g.initializer("b", HostTensor.of(new float[] {1, 2, 3, 4}, 4)));
        g.output("y", y);
        g.output("z", g.matMul(x, g.initializer("v", V)));
        if (alsoReadTransposed) g.output("wt", g.mul(g.transpose(w, 1, 0), g.constScalar(2f)));
        return g.build(false);
    }

    private static List<String> ops(ModelProto m) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    @Test
    void linearOverAnInputWeightBecomesGemmWithoutATranspose() {
        OnnxModel model = graph(false);
        ModelProto declared = WeightInputs.declare(model.proto(), model.memoryWeights().keySet());
        assertEquals(List.of("x", "w", "v"), declared.getGraph().getInputList().stream().map(i -> i.getName()).toList());
        assertTrue(declared.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals("b")),
                "small constants stay initializers");
        List<String> ops = ops(declared);
        assertFalse(ops.contains("Transpose"), ops.toString());
        assertEquals(List.of("Reshape", "Gemm", "Reshape", "Add", "Identity", "MatMul", "Identity"), ops);
        NodeProto gemm = declared.getGraph().getNode(1);
        assertEquals("w", gemm.getInput(1));
        assertEquals(1, gemm.getAttribute(0).getI(), "transB");
    }

    @Test
    void aTransposeOtherNodesReadStays() {
        OnnxModel model = graph(true);
        List<String> ops = ops(WeightInputs.declare(model.proto(), model.memoryWeights().keySet()));
        assertTrue(ops.contains("Transpose") && ops.contains("Gemm"), ops.toString());
    }

    @Test
    void sharedAndPerSessionWeightsComputeTheSame() {
        float[] x = new float[2 * 3 * 300];
        for (int i = 0; i < x.length; i++) x[i] = (float) RANDOM.nextGaussian();
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(x, 2, 3, 300));
        OrtBackend ort = new OrtBackend();
        OnnxModel model = graph(true);
        try (Executable shared = ort.compile(model, Device.CPU, options("shared"));
             Executable perSession = ort.compile(model, Device.CPU, options("per-session"))) {
            Map<String, HostTensor> a = shared.run(in);
            Map<String, HostTensor> b = perSession.run(in);
            for (String out : List.of("y", "z", "wt")) {
                assertArrayEquals(b.get(out).toFloats(), a.get(out).toFloats(), 1e-4f, out);
                assertArrayEquals(b.get(out).shape(), a.get(out).shape(), out);
            }
        }
    }

    private static CompileOptions options(String weights) {
        return new CompileOptions(DType.FLOAT32, 0, 0, Map.of("weights", weights));
    }
}
