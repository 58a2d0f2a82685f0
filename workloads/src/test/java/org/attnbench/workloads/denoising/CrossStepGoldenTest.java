package org.attnbench.workloads.denoising;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole denoising loops against the runs the reference code made ({@code golden/cross-step/}):
 * on both backends, the latents after every step within 1e-4 of the reference's (relative to their
 * largest value), and every step of the same kind as the reference's plan (full or partial).
 */
class CrossStepGoldenTest {
    /** The cases whose method attnbench runs. */
    static Stream<Arguments> cases() {
        return CrossStepCase.names().stream().filter(CrossStepGoldenTest::runs)
                .flatMap(name -> Stream.of("onnxruntime", "djl").map(backend -> Arguments.of(name, backend)));
    }

    private static boolean runs(String name) {
        return name.endsWith("-dense") || name.equals("unet-todo");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyStepEqualsTheReference(String name, String backend) {
        CrossStepCase c = CrossStepCase.load(name);
        DenoisingLoop.Result r = c.run(backend);
        Map<String, HostTensor> expected = c.expected();
        assertEquals(c.steps(), r.steps().size());
        for (int i = 0; i < c.steps(); i++) {
            double err = CrossStepCase.relativeError(r.stepLatents().get(i), expected.get("latents_step_" + i));
            assertTrue(err <= CrossStepCase.TOLERANCE, name + " " + backend + " step " + i + ": " + err + " from the reference");
        }
        assertTrue(CrossStepCase.relativeError(r.latents(), expected.get("latents")) <= CrossStepCase.TOLERANCE);
        List<String> kinds = r.steps().stream().map(s -> s.kind().name().toLowerCase(java.util.Locale.ROOT)).toList();
        assertEquals(c.kinds(), kinds, name + ": the steps' kinds");
    }
}
