package org.attnbench.workloads.denoising;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm;
import org.attnbench.models.diffusion.GraphForm.FirstBlock;
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forms the networks offer the cross-step methods compose back into the whole model: on one
 * step's inputs, the shallow side of a UNet's skip branch given the deep side's feature, and a DiT's
 * tail given its head's outputs (or its output layers given the head's output and the tail's
 * residual), and a model given its attention modules' outputs, predict what the whole model
 * predicts. And each form runs only its own layers.
 */
class GraphFormsTest {
    private static final TokenPatch DENSE = TokenPatch.unpatched(Kernel.MATMUL);

    /** The whole model's inputs at the case's first step. */
    private static Map<String, HostTensor> stepInputs(CrossStepCase c, Denoiser model, int batch) {
        Map<String, HostTensor> in = new LinkedHashMap<>(c.conditioning(model).inputs(batch));
        HostTensor latents = c.inputs().get("latents");
        float[] one = latents.toFloats(), both = new float[one.length * batch];
        for (int b = 0; b < batch; b++) System.arraycopy(one, 0, both, b * one.length, one.length);
        long[] shape = latents.shape();
        shape[0] = batch;
        in.put(DenoiserIO.SAMPLE, HostTensor.of(both, shape));
        float t = (float) c.scheduler(model).timestep(0);
        in.put(DenoiserIO.TIMESTEP, HostTensor.of(batch == 1 ? new float[] {t} : new float[] {t, t}, batch));
        if (c.guidance(model).embedded()) in.put(DenoiserIO.GUIDANCE, HostTensor.of(new float[] {3.5f}, 1));
        return in;
    }

    private static Map<String, HostTensor> run(String backend, OnnxModel model, Map<String, HostTensor> offered) {
        try (Executable exe = Backends.byName(backend).compile(model, Device.CPU, CompileOptions.DEFAULT)) {
            Map<String, HostTensor> in = new HashMap<>();
            for (String name : exe.inputNames()) in.put(name, offered.get(name));
            return exe.run(in);
        }
    }

    @ParameterizedTest
    @CsvSource({"onnxruntime,0,0", "djl,0,0", "onnxruntime,0,1", "onnxruntime,1,0", "djl,1,2", "onnxruntime,2,0"})
    void aSkipBranchsShallowSideTakesTheDeepSidesFeature(String backend, int block, int layer) {
        CrossStepCase c = CrossStepCase.load("unet-dense");
        Denoiser model = c.model();
        try (SafetensorsWeights w = SafetensorsWeights.open(c.dir().resolve("weights.safetensors"))) {
            Map<String, HostTensor> in = stepInputs(c, model, 2);
            HostTensor whole = run(backend, model.build(c.size(), 2, DENSE, w), in).get(DenoiserIO.OUT_SAMPLE);
            Map<String, HostTensor> deep = run(backend, model.build(c.size(), 2, DENSE, new GraphForm.SkipBranch(block, layer, false), w), in);
            assertArrayEquals(whole.toFloats(), deep.get(DenoiserIO.OUT_SAMPLE).toFloats(), 1e-6f);
            in.put(GraphForm.SkipBranch.FEATURE, deep.get(GraphForm.SkipBranch.FEATURE));
            OnnxModel shallowGraph = model.build(c.size(), 2, DENSE, new GraphForm.SkipBranch(block, layer, true), w);
            HostTensor shallow = run(backend, shallowGraph, in).get(DenoiserIO.OUT_SAMPLE);
            assertTrue(CrossStepCase.relativeError(shallow, whole) < 1e-5, "shallow " + block + "." + layer);
            Set<String> ran = CrossStepCase.modules(shallowGraph);
            assertTrue(!ran.contains("mid_block") && ran.contains("up_blocks.2.resnets.2"), ran.toString());
            assertEquals(ran.contains("down_blocks.0.resnets.0"), block > 0 || layer > 0, ran.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixart-dense", "flux-dense"})
    void aTransformersTailTakesItsHeadsOutputs(String name) {
        CrossStepCase c = CrossStepCase.load(name);
        Denoiser model = c.model();
        int batch = c.guidance(model).batch();
        try (SafetensorsWeights w = SafetensorsWeights.open(c.dir().resolve("weights.safetensors"))) {
            for (String backend : new String[] {"onnxruntime", "djl"}) {
                Map<String, HostTensor> in = stepInputs(c, model, batch);
                HostTensor whole = run(backend, model.build(c.size(), batch, DENSE, w), in).get(DenoiserIO.OUT_SAMPLE);
                Map<String, HostTensor> head = run(backend, model.build(c.size(), batch, DENSE, new FirstBlock(FirstBlock.Part.HEAD), w), in);
                in.putAll(head);
                Map<String, HostTensor> tail = run(backend, model.build(c.size(), batch, DENSE, new FirstBlock(FirstBlock.Part.TAIL), w), in);
                assertTrue(CrossStepCase.relativeError(tail.get(DenoiserIO.OUT_SAMPLE), whole) < 1e-5, name + " " + backend);
                in.put(FirstBlock.TAIL_RESIDUAL, tail.get(FirstBlock.TAIL_RESIDUAL));
                HostTensor cached = run(backend, model.build(c.size(), batch, DENSE, new FirstBlock(FirstBlock.Part.CACHED_TAIL), w),
                        in).get(DenoiserIO.OUT_SAMPLE);
                assertTrue(CrossStepCase.relativeError(cached, whole) < 1e-5, name + " " + backend + " cached");
                float[] r = head.get(FirstBlock.RESIDUAL).toFloats();
                assertTrue(Math.abs(r[0]) + Math.abs(r[r.length - 1]) > 0, "the first block changes its input");
            }
        }
    }

    /**
     * The whole model that also gives its attention modules' outputs computes exactly what the whole
     * model does; given those outputs, the model that takes them instead of computing them (all of
     * them, or every other one) predicts the same, and reads no weight of a module it takes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"unet-dense", "pixart-dense", "sd3-dense", "flux-dense"})
    void attentionOutputsCarriedBackRecomposeTheWholeModel(String name) {
        CrossStepCase c = CrossStepCase.load(name);
        Denoiser model = c.model();
        int batch = c.guidance(model).batch();
        List<String> all = model.attentionModules().stream().map(AttentionModule::name).toList();
        List<String> every = new ArrayList<>(), other = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) (i % 2 == 0 ? every : other).add(all.get(i));
        try (SafetensorsWeights w = SafetensorsWeights.open(c.dir().resolve("weights.safetensors"))) {
            for (String backend : new String[] {"onnxruntime", "djl"}) {
                Map<String, HostTensor> in = stepInputs(c, model, batch);
                HostTensor whole = run(backend, model.build(c.size(), batch, DENSE, w), in).get(DenoiserIO.OUT_SAMPLE);
                Map<String, HostTensor> kept = run(backend, model.build(c.size(), batch, DENSE, new ModuleOutputs(all, List.of()), w), in);
                assertArrayEquals(whole.toFloats(), kept.get(DenoiserIO.OUT_SAMPLE).toFloats(), name + " " + backend);
                in.putAll(kept);
                for (var form : List.of(new ModuleOutputs(List.of(), all), new ModuleOutputs(other, every))) {
                    OnnxModel graph = model.build(c.size(), batch, DENSE, form, w);
                    HostTensor out = run(backend, graph, in).get(DenoiserIO.OUT_SAMPLE);
                    assertTrue(CrossStepCase.relativeError(out, whole) < 1e-5, name + " " + backend + " " + form.describe());
                    for (String module : form.given()) {
                        assertTrue(graph.initializers().keySet().stream().noneMatch(k -> k.startsWith(module + ".")), module);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"unet-dense,first block", "sd3-dense,first block", "pixart-dense,deep at branch 0.0"})
    void aNetworkRefusesAFormItDoesNotOffer(String name, String form) {
        CrossStepCase c = CrossStepCase.load(name);
        GraphForm f = form.startsWith("first") ? new FirstBlock(FirstBlock.Part.HEAD) : new GraphForm.SkipBranch(0, 0, false);
        UserError e = assertThrows(UserError.class, () -> c.model().build(c.size(), 1, DENSE, f, null));
        assertTrue(e.getMessage().contains(form), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void aBranchOutsideTheUNetIsRefused() {
        CrossStepCase c = CrossStepCase.load("unet-dense");
        UserError e = assertThrows(UserError.class,
                () -> c.model().build(c.size(), 1, DENSE, new GraphForm.SkipBranch(3, 0, true), null));
        assertTrue(e.getMessage().contains("down blocks 0-2 of 2 layers"), e.getMessage());
    }
}
