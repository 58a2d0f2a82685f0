package org.attnbench.workloads.denoising;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.attnbench.graph.OnnxModel;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.Variant;
import org.attnbench.methods.step.DeepCache;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole denoising loops against the runs the reference code made ({@code golden/cross-step/}):
 * on both backends, the latents after every step within 1e-4 of the reference's (relative to their
 * largest value), every step of the same kind as the reference's plan (full or partial), and, for
 * TaylorSeer and pyramid attention broadcast, the same modules computed and carried at every step.
 */
class CrossStepGoldenTest {
    /** Every case, on both backends. */
    static Stream<Arguments> cases() {
        return CrossStepCase.names().stream().flatMap(name -> Stream.of("onnxruntime", "djl").map(backend -> Arguments.of(name, backend)));
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
        if (c.planAt(0).has("modules_computed")) sameModulesAsTheReference(c, r);
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
     * TaylorSeer's and pyramid attention broadcast's steps: the graph each step ran takes as inputs
     * the outputs of exactly the modules the reference predicted or reused there, and computes every
     * other attention module (reads its weights), those the reference computed among them.
     */
    private static void sameModulesAsTheReference(CrossStepCase c, DenoisingLoop.Result r) {
        Denoiser model = c.model();
        Map<String, StepGraph> graphs = new HashMap<>();
        c.variant().plan(model, c.scheduler(model).timesteps()).graphList().forEach(g -> graphs.put(g.describe(), g));
        Set<String> all = new TreeSet<>(model.attentionModules().stream().map(AttentionModule::name).toList());
        Map<String, OnnxModel> built = new HashMap<>();
        for (int i = 0; i < c.steps(); i++) {
            StepGraph graph = graphs.get(r.steps().get(i).patch());
            OnnxModel m = built.computeIfAbsent(graph.describe(), k -> model.build(c.size(), c.guidance(model).batch(), graph.patch(),
                    graph.form(), null));
            Set<String> taken = new TreeSet<>(), computed = new TreeSet<>();
            m.proto().getGraph().getInputList().forEach(in -> {
                if (in.getName().startsWith(GraphForm.ModuleOutputs.PREFIX)) taken.add(in.getName().substring(GraphForm.ModuleOutputs.PREFIX.length()).split("#")[0]);
            });
            for (String module : all) {
                if (m.initializers().keySet().stream().anyMatch(w -> w.startsWith(module + "."))) computed.add(module);
            }
            var plan = c.planAt(i);
            Set<String> carried = strings(plan.getAsJsonArray(plan.has("modules_predicted") ? "modules_predicted" : "modules_reused"));
            assertEquals(carried, taken, c.name() + " step " + i + ": modules carried");
            Set<String> others = new TreeSet<>(all);
            others.removeAll(taken);
            assertEquals(others, computed, c.name() + " step " + i + ": every other attention computes");
            assertTrue(computed.containsAll(strings(plan.getAsJsonArray("modules_computed"))), c.name() + " step " + i);
        }
    }

    private static Set<String> strings(com.google.gson.JsonArray a) {
        Set<String> out = new TreeSet<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
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
     * TaylorSeer's factors are stored in bfloat16 as the reference's default: flux-taylorseer's
     * latents lie within 1e-5 of the reference with them (4.7e-6), and 2.6e-5 away with float32
     * factors, which the case's README measured as the effect of the storage type (2.5e-5).
     */
    @org.junit.jupiter.api.Test
    void taylorSeerStoresItsFactorsInBfloat16LikeTheReference() {
        CrossStepCase c = CrossStepCase.load("flux-taylorseer");
        HostTensor expected = c.expected().get("latents");
        double bf16 = CrossStepCase.relativeError(c.run("onnxruntime").latents(), expected);
        double fp32 = CrossStepCase.relativeError(c.run("onnxruntime", Variant.parse(c.spec() + ",taylor_factors_dtype=float32")).latents(),
                expected);
        assertTrue(bf16 < 1e-5 && fp32 > 2e-5, "bfloat16 " + bf16 + ", float32 " + fp32);
    }

    /**
     * ToDo under TaylorSeer and under pyramid attention broadcast on the UNet, which no reference
     * runs: every graph a step runs holds ToDo's patch of that step, the modules carried were
     * computed under it, and carrying them changes the image against ToDo's own loop.
     */
    @ParameterizedTest
    @ValueSource(strings = {"taylorseer:cache_interval=3,disable_cache_before_step=2,cache_identifiers=.*attn[12]",
        "pab:spatial_attention_block_skip_range=2,cross_attention_block_skip_range=3"})
    void todoStacksWithAttentionCaching(String method) {
        CrossStepCase c = CrossStepCase.load("unet-dense");
        DenoisingLoop.Result todo = c.run("onnxruntime", Variant.parse("todo:factor=2"));
        DenoisingLoop.Result both = c.run("onnxruntime", Variant.parse("todo:factor=2+" + method));
        for (int i = 0; i < c.steps(); i++) {
            assertTrue(both.steps().get(i).patch().startsWith(todo.steps().get(i).patch()), both.steps().get(i).patch());
        }
        assertTrue(both.steps().stream().anyMatch(s -> s.kind() == StepPlan.StepKind.PARTIAL), method);
        assertTrue(CrossStepCase.relativeError(both.latents(), todo.latents()) > 1e-4, "carrying outputs changes the image");
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
