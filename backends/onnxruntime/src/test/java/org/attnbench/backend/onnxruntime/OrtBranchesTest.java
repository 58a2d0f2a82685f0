package org.attnbench.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

/**
 * Three graphs over the same weights compiled together: one session, each graph a branch of an
 * If; each executable computes its own graph, profiles its own nodes, and the session ends with
 * the last one.
 */
class OrtBranchesTest {
    private static final HostTensor W = weights();
    private static final HostTensor B = HostTensor.of(new float[] {0.5f, -0.5f}, 2);

    private static HostTensor weights() {
        float[] w = new float[600];
        for (int i = 0; i < 600; i++) w[i] = i < 300 ? 1 : 2;
        return HostTensor.of(w, 2, 300);
    }

    /** y = (x W^T + b) * scale, with a scope of its own per graph; the same names for every constant. */
    private static OnnxModel graph(float scale) {
        GraphBuilder g = new GraphBuilder("linear" + scale);
        Value x = g.input("x", DType.FLOAT32, 1, 300);
        Value y;
        try (var s = g.scope("scale" + (int) scale)) {
            y = g.mul(g.linear(x, g.initializer("w", W), g.initializer("b", B)), g.constScalar(scale));
        }
        g.output("y", y);
        return g.build(false);
    }

    @Test
    void eachBranchRunsItsGraphInOneSession() {
        int before = SharedInitializers.live();
        OrtBackend ort = new OrtBackend();
        float[] ones = new float[300];
        java.util.Arrays.fill(ones, 1f);
        Map<String, HostTensor> in = Map.of("x", HostTensor.of(ones, 1, 300));
        List<Executable> exes = ort.compileAll(List.of(graph(1), graph(2), graph(3)), Device.CPU,
                CompileOptions.DEFAULT.withProfiling());
        assertEquals(List.of("x"), exes.get(0).inputNames(), "the branch input is the executables' own business");
        assertArrayEquals(new float[] {300.5f, 599.5f}, exes.get(0).run(in).get("y").toFloats());
        assertArrayEquals(new float[] {601, 1199}, exes.get(1).run(in).get("y").toFloats());
        assertArrayEquals(new float[] {901.5f, 1798.5f}, exes.get(2).run(in).get("y").toFloats());
        assertTrue(exes.get(2).settings().get("graphs").contains("branch 2"));
        for (int i = 0; i < 3; i++) {
            Map<String, Double> nodes = exes.get(i).profile(in);
            String own = "scale" + (i + 1) + "/";
            assertTrue(nodes.keySet().stream().anyMatch(n -> n.contains(own)), i + ": " + nodes.keySet());
            for (int j = 1; j <= 3; j++) {
                String other = "scale" + j + "/";
                if (j != i + 1) assertTrue(nodes.keySet().stream().noneMatch(n -> n.contains(other)), i + ": " + nodes.keySet());
            }
            assertTrue(nodes.keySet().stream().noneMatch(n -> n.startsWith("branch/if")), "an If's time is its branch's");
        }
        exes.get(0).close();
        exes.get(1).close();
        assertArrayEquals(new float[] {901.5f, 1798.5f}, exes.get(2).run(in).get("y").toFloats(), "open until the last closes");
        exes.get(2).close();
        assertEquals(before, SharedInitializers.live());
    }
}
