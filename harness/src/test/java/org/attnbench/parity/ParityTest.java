package org.attnbench.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OpSet;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;

/** DJL and ONNX Runtime agree on random graphs built from the supported ops. */
class ParityTest {
    private static final int GRAPHS = 400;
    private static final long FIRST_SEED = 1000;
    /** MultiHeadAttention is an ONNX Runtime contrib op (com.microsoft domain), which DJL does not run. */
    private static final Set<String> NOT_GENERATED = Set.of("com.microsoft::MultiHeadAttention");

    @Test
    void djlAndOnnxRuntimeAgreeOnRandomGraphs() {
        Backend djl = Backends.byName("djl");
        Backend ort = Backends.byName("onnxruntime");
        List<String> failures = new ArrayList<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + GRAPHS; seed++) {
            RandomGraphGenerator.Case c = RandomGraphGenerator.generate(seed);
            String why;
            try {
                why = OutputComparison.firstMismatch(run(djl, c), run(ort, c));
            } catch (RuntimeException e) {
                why = "a backend failed: " + e;
            }
            if (why != null) failures.add("seed " + seed + ": " + why + "\n" + GraphDescription.of(c.model()));
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + GRAPHS + " graphs disagree (djl vs onnxruntime);"
                + " rebuild one with RandomGraphGenerator.generate(seed):\n\n" + String.join("\n\n", failures));
    }

    @Test
    void generatorUsesEverySupportedOp() {
        Set<String> used = new TreeSet<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + GRAPHS; seed++) {
            used.addAll(GraphDescription.opTypes(RandomGraphGenerator.generate(seed).model()));
        }
        Set<String> missing = new TreeSet<>(OpSet.supported());
        missing.removeAll(NOT_GENERATED);
        missing.removeAll(used);
        assertEquals(Set.of(), missing, "supported ops no generated graph uses");
    }

    private static Map<String, HostTensor> run(Backend backend, RandomGraphGenerator.Case c) {
        try (Executable exe = backend.compile(c.model(), Device.CPU, CompileOptions.DEFAULT)) {
            return exe.run(c.inputs());
        } catch (RuntimeException e) {
            throw new IllegalStateException(backend.name() + ": " + e.getMessage(), e);
        }
    }
}
