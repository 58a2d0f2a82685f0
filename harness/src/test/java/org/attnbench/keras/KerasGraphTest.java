package org.attnbench.keras;

import static org.attnbench.keras.KerasFixture.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.keras.KerasGraph;
import org.attnbench.models.keras.TfjsLayersModel;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Keras-to-ONNX conversion against {@link NhwcReference} on each backend, on a small model
 * with every layout trap InceptionV3 has and some it has not: a non-square input, a stride-2
 * "same" convolution whose padding is uneven (the extra column goes right), a BatchNormalization
 * folded into its convolution and one that is not, "same" average pooling that must not count
 * the padding, channel concatenation, and a Flatten over a 2 x 2 grid (Keras's channels-fastest
 * order).
 */
class KerasGraphTest {
    private static final int H = 9;
    private static final int W = 8;
    private static final int BATCH = 2;

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void matchesTheReference(String backend, @TempDir Path dir) throws IOException {
        KerasFixture f = new KerasFixture(7);
        f.input("input_1", H, W, 3);
        float[] kA = f.weight("conv_a/kernel", 0, 0.5, 3, 3, 3, 4);
        f.layer("conv_a", "Conv2D", config("filters", 4, "kernel_size", new int[] {3, 3}, "strides", new int[] {2, 2},
                "padding", "same", "activation", "linear", "use_bias", false), "input_1");
        float[] betaA = f.weight("bn_a/beta", 0, 0.3, 4);
        float[] meanA = f.weight("bn_a/moving_mean", 0, 0.3, 4);
        float[] varA = f.positive("bn_a/moving_variance", 4);
        f.layer("bn_a", "BatchNormalization", config("axis", 3, "epsilon", 0.001, "scale", false, "center", true), "conv_a");
        f.layer("act_a", "Activation", config("activation", "relu"), "bn_a");
        float[] kB = f.weight("conv_b/kernel", 0, 0.5, 1, 3, 4, 2);
        float[] biasB = f.weight("conv_b/bias", 0, 0.2, 2);
        f.layer("conv_b", "Conv2D", config("filters", 2, "kernel_size", new int[] {1, 3}, "strides", new int[] {1, 1},
                "padding", "same", "activation", "relu", "use_bias", true), "act_a");
        f.layer("pool_avg", "AveragePooling2D", config("pool_size", new int[] {3, 3}, "strides", new int[] {1, 1},
                "padding", "same"), "act_a");
        float[] gammaB = f.positive("bn_b/gamma", 4);
        float[] betaB = f.weight("bn_b/beta", 0, 0.3, 4);
        float[] meanB = f.weight("bn_b/moving_mean", 0, 0.3, 4);
        float[] varB = f.positive("bn_b/moving_variance", 4);
        f.layer("bn_b", "BatchNormalization", config("axis", -1, "epsilon", 0.01, "scale", true, "center", true), "pool_avg");
        f.layer("concat", "Concatenate", config("axis", -1), "conv_b", "bn_b");
        f.layer("pool_max", "MaxPooling2D", config("pool_size", new int[] {2, 2}, "padding", "valid"), "concat");
        f.layer("flatten", "Flatten", config(), "pool_max");
        f.layer("drop", "Dropout", config("rate", 0.5), "flatten");
        float[] kD = f.weight("dense/kernel", 0, 0.3, 24, 3);
        float[] biasD = f.weight("dense/bias", 0, 0.1, 3);
        f.layer("dense", "Dense", config("units", 3, "activation", "softmax", "use_bias", true), "drop");
        f.layer("gap", "GlobalAveragePooling2D", config(), "concat");
        TfjsLayersModel model = TfjsLayersModel.read(f.write(dir, "dense"));

        GraphBuilder g = new GraphBuilder("fixture");
        Value x = g.input("x", DType.FLOAT32, BATCH, 3, H, W);
        KerasGraph keras = new KerasGraph(model, g, Map.of("input_1", x));
        for (String out : List.of("dense", "flatten", "gap")) g.output(out, keras.output(out));
        OnnxModel graph = g.build();

        Random r = new Random(3);
        float[] nchw = new float[BATCH * 3 * H * W];
        for (int i = 0; i < nchw.length; i++) nchw[i] = (float) r.nextGaussian();
        Map<String, HostTensor> got;
        try (Executable exe = Backends.byName(backend).compile(graph, Device.CPU, CompileOptions.DEFAULT)) {
            got = exe.run(Map.of("x", HostTensor.of(nchw, BATCH, 3, H, W)));
        }
        for (int b = 0; b < BATCH; b++) {
            double[][][] img = new double[H][W][3];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) img[i][j][c] = nchw[((b * 3 + c) * H + i) * W + j];
            }
            double[][][] a = NhwcReference.relu(NhwcReference.batchNorm(
                    NhwcReference.conv(img, kA, 3, 3, 4, null, 2, true), null, betaA, meanA, varA, 0.001));
            assertEquals(5, a.length, "height after the stride-2 same conv");
            assertEquals(4, a[0].length, "width after the stride-2 same conv");
            double[][][] convB = NhwcReference.relu(NhwcReference.conv(a, kB, 1, 3, 2, biasB, 1, true));
            double[][][] bnB = NhwcReference.batchNorm(NhwcReference.pool(a, 3, 1, true, false), gammaB, betaB, meanB, varB, 0.01);
            double[][][] concat = NhwcReference.concat(convB, bnB);
            double[] flat = NhwcReference.flatten(NhwcReference.pool(concat, 2, 2, false, true));
            assertClose(flat, got.get("flatten"), b, backend + " flatten");
            assertClose(NhwcReference.globalAverage(concat), got.get("gap"), b, backend + " gap");
            assertClose(NhwcReference.denseSoftmax(flat, kD, biasD), got.get("dense"), b, backend + " dense");
        }
    }

    private static void assertClose(double[] expected, HostTensor actual, int row, String what) {
        assertEquals(expected.length, actual.shape()[1], what + " width");
        float[] v = actual.toFloats();
        for (int i = 0; i < expected.length; i++) {
            double got = v[row * expected.length + i];
            assertTrue(Math.abs(got - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])),
                    what + "[" + row + ", " + i + "]: expected " + expected[i] + ", got " + got);
        }
    }
}
