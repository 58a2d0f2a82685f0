package org.attnbench.unet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.Float16Graph;
import org.attnbench.graph.OnnxModel;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float16 graph of the tiny UNet against its float32 graph, for dense, ToDo on the fused
 * kernel and ToMe: ONNX Runtime with --dtype fp16, and DJL running the same converted graph, both
 * within a relative L2 error of 1e-2 (measured about 1e-3, what float16's 11-bit mantissa gives
 * through a UNet). ONNX Runtime's CPU provider runs float16 nodes it has no kernel for through
 * casts to float32: slow, but the CUDA path is the point, and the graph is the same.
 */
class Float16UNetTest {
    private static final double TOLERANCE = 1e-2;

    @ParameterizedTest
    @ValueSource(strings = {"dense", "todo:factor=2,kernel=fused", "tome:ratio=0.5"})
    void float16GraphMatchesFloat32(String variant) {
        UNetConfig tiny = UNetConfig.load("tiny");
        Map<String, HostTensor> inputs = UNetForwardTest.inputs(tiny);
        OnnxModel model = UNetGraph.build(tiny, UNetForwardTest.RESOLUTION, UNetForwardTest.BATCH,
                Variant.parse(variant).tokens().patch(), new RandomWeights(5));
        float[] fp32 = run("onnxruntime", model, CompileOptions.DEFAULT, inputs);
        double ort = relL2(run("onnxruntime", model, CompileOptions.DEFAULT.withDType(DType.FLOAT16), inputs), fp32);
        double djl = relL2(run("djl", Float16Graph.convert(model), CompileOptions.DEFAULT, inputs), fp32);
        System.out.printf("float16 %s: relative L2 error %.2e (ONNX Runtime), %.2e (DJL)%n", variant, ort, djl);
        assertTrue(ort < TOLERANCE && ort > 0, "ONNX Runtime fp16: " + ort);
        assertTrue(djl < TOLERANCE && djl > 0, "DJL on the converted graph: " + djl);
    }

    private static float[] run(String backend, OnnxModel model, CompileOptions options, Map<String, HostTensor> inputs) {
        try (Executable exe = Backends.byName(backend).compile(model, Device.CPU, options)) {
            return exe.run(inputs).get(DenoiserIO.OUT_SAMPLE).toFloats();
        }
    }

    private static double relL2(float[] got, float[] want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (double) (got[i] - want[i]);
            den += want[i] * (double) want[i];
        }
        return Math.sqrt(num / den);
    }
}
