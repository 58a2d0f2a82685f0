package org.attnbench.workloads.denoising;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.attnbench.graph.OnnxModel;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.Variant;
import org.attnbench.methods.step.DeepCache;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        return name.endsWith("-dense") || name.equals("unet-todo") || name.contains("deepcache") || name.contains("-fbc");
    }

    /**
     * An identity runs the plain loop's own graph (DeepCache at interval 1), or the same layers split
     * in two (first-block caching at threshold 0: the head, then the tail). ONNX Runtime computes the
     * split exactly as the whole; libtorch's matrix products take other paths for the tail's inputs,
     * fresh contiguous tensors where the whole graph hands on its own intermediates, and round
     * differently, within 1e-6.
     */
    private static boolean exactIdentity(String name, String backend) {
        return backend.equals("onnxruntime") || !name.contains("-fbc");
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
        for (int i = 0; i < c.steps(); i++) {
            var plan = c.planAt(i);
            if (plan.has("statistic") && !plan.get("statistic").isJsonNull()) {
                double s = Double.parseDouble(r.steps().get(i).note().substring("s=".length()));
                assertEquals(plan.get("statistic").getAsDouble(), s, 1e-3, name + " step " + i + ": first-block statistic");
            }
        }
        if (c.info().getAsJsonPrimitive("identity").getAsBoolean()) {
            DenoisingLoop.Result dense = c.run(backend, Variant.parse("dense"));
            for (int i = 0; i < c.steps(); i++) {
                HostTensor plain = dense.stepLatents().get(i), got = r.stepLatents().get(i);
                if (exactIdentity(name, backend)) {
                    assertArrayEquals(plain.toFloats(), got.toFloats(), name + " " + backend + " step " + i + ": equals the plain loop");
                } else {
                    double err = CrossStepCase.relativeError(got, plain);
                    assertTrue(err <= 1e-6, name + " " + backend + " step " + i + ": " + err + " from the plain loop");
                }
            }
        }
    }

    /**
     * DeepCache's partial steps run the modules the reference ran there (its instrumented plan):
     * the shallow side of the branch reads the weights of exactly those resnets, attentions and samplers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unet-deepcache-i3-b0", "unet-deepcache-i4-b3", "unet-deepcache-nonuniform", "unet-todo-deepcache-i3-b0"})
    void deepCachesPartialStepsRunTheReferencesModules(String name) {
        CrossStepCase c = CrossStepCase.load(name);
        Denoiser model = c.model();
        DeepCache method = (DeepCache) c.variant().steps();
        OnnxModel shallow = model.build(c.size(), 2, TokenPatch.unpatched(Kernel.MATMUL), method.branch(true), null);
        Set<String> ran = CrossStepCase.modules(shallow);
        boolean[] full = method.fullSteps(c.steps());
        for (int i = 0; i < c.steps(); i++) {
            assertEquals(c.kinds().get(i).equals("full"), full[i], name + " step " + i);
            if (full[i]) continue;
            Set<String> reference = new TreeSet<>();
            for (var m : c.planAt(i).getAsJsonArray("modules_run")) {
                String module = m.getAsString();
                if (module.equals("mid_block") || module.split("\\.").length == 4) reference.add(module);
            }
            assertEquals(reference, ran, name + " step " + i);
        }
    }

    /**
     * ToDo under first-block caching on Flux, which no reference runs (ToDo's code patches UNets
     * only): at threshold 0 every step computes, so the stack is ToDo's own loop; at the golden
     * threshold it caches steps, and every graph it runs holds ToDo's patch.
     */
    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void todoStacksWithFirstBlockCachingOnFlux(String backend) {
        CrossStepCase c = CrossStepCase.load("flux-dense");
        DenoisingLoop.Result todo = c.run(backend, Variant.parse("todo:factor=2"));
        DenoisingLoop.Result always = c.run(backend, Variant.parse("todo:factor=2+first-block-cache:threshold=0"));
        for (int i = 0; i < c.steps(); i++) {
            assertTrue(CrossStepCase.relativeError(always.stepLatents().get(i), todo.stepLatents().get(i)) <= 1e-6, "step " + i);
            assertTrue(always.steps().get(i).patch().startsWith(todo.steps().get(i).patch()), always.steps().get(i).patch());
        }
        DenoisingLoop.Result cached = c.run(backend, Variant.parse("todo:factor=2+first-block-cache:threshold=0.7"));
        assertTrue(cached.steps().stream().anyMatch(s -> s.kind() == StepPlan.StepKind.PARTIAL), "some steps reuse the tail");
        assertTrue(CrossStepCase.relativeError(cached.latents(), todo.latents()) > 1e-4, "and that changes the image");
    }
}
