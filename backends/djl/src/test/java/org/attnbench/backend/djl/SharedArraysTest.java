package org.attnbench.backend.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** Two graphs built from the same weight tensors hold each weight once, and release it with the last executable. */
class SharedArraysTest {
    /** Large enough to be held in memory (small constants stay inside the proto): rows of ones and twos. */
    private static final HostTensor W = weights();
    private static final HostTensor B = HostTensor.of(new float[] {0.5f, -0.5f}, 2);

    private static HostTensor weights() {
        float[] w = new float[600];
        for (int i = 0; i < 600; i++) w[i] = i < 300 ? 1 : 2;
        return HostTensor.of(w, 2, 300);
    }

    /** y = x W^T + b, then scaled: two different graphs over the same W and b. */
    private static OnnxModel graph(float scale) {
        GraphBuilder g = new GraphBuilder("linear" + scale);
        Value x = g.input("x", DType.FLOAT32, 1, 300);
        Value y = g.linear(x, g.initializer("w", W), g.initializer("b", B));
        g.output("y", g.mul(y, g.constScalar(scale)));
        return g.build(false);
    }

    @Test
    void executablesShareTheirWeights() {
        int before = SharedArrays.live();
        DjlBackend ort = new DjlBackend();
        float[] ones = new float[300];
        java.util.Arrays.fill(ones, 1f);
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(ones, 1, 300));
        try (Executable one = ort.compile(graph(1), Device.CPU, CompileOptions.DEFAULT);
             Executable two = ort.compile(graph(2), Device.CPU, CompileOptions.DEFAULT)) {
            assertEquals(before + 1, SharedArrays.live(), "w once, for both executables");
            assertArrayEquals(new float[] {300.5f, 599.5f}, one.run(in).get("y").toFloats());
            assertArrayEquals(new float[] {601, 1199}, two.run(in).get("y").toFloats());
            one.close();
            assertEquals(before + 1, SharedArrays.live(), "still used by the second executable");
        }
        assertEquals(before, SharedArrays.live());
    }
}
