package org.attnbench.workloads.denoising;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.UNetDenoiser;
import org.attnbench.models.diffusion.Guidance;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.UNetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop over the real UNet graph: the tiny config at 64 px with random weights, 3 DDIM steps. */
class UNetLoopTest {
    private static final int RESOLUTION = 64;
    private final UNetConfig tiny = UNetConfig.load("tiny");

    private DenoisingLoop.Result run(String backend, String variant) {
        DenoiserGraphs graphs = DenoiserGraphs.of(tiny, org.attnbench.models.unet.ImageSize.square(RESOLUTION), new RandomWeights(5));
        Scheduler ddim = Scheduler.of("ddim", 3);
        return new DenoisingLoop(Backends.byName(backend), Device.CPU, CompileOptions.DEFAULT).run(graphs,
                Variant.parse(variant).plan(new UNetDenoiser(tiny), ddim.timesteps()),
                new int[] {tiny.inChannels(), RESOLUTION / 8, RESOLUTION / 8},
                Conditioning.random(6, tiny.crossAttentionDim()), ddim, Guidance.classifierFree(7.5), 7, null);
    }

    private static double maxRelErr(float[] got, float[] want) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < want.length; i++) {
            err = Math.max(err, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return err / scale;
    }

    @Test
    void djlMatchesOnnxRuntimeOnAToDoSchedule() {
        DenoisingLoop.Result ort = run("onnxruntime", "todo:factor=2");
        DenoisingLoop.Result djl = run("djl", "todo:factor=2");
        assertTrue(maxRelErr(djl.latents().toFloats(), ort.latents().toFloats()) < 1e-4);
        // DDIM 3 steps: t = 667, 334 (t/1000 > 0.2: ToDo itself), then 1 (tome-kv until t/1000 <= 0).
        TokenMethod todo = Variant.parse("todo:factor=2").tokens();
        List<String> patches = ort.steps().stream().map(DenoisingLoop.Step::patch).toList();
        assertEquals(List.of(todo.patch().describe(), todo.patch().describe(), todo.patchAt(1).describe()), patches);
        assertEquals(djl.steps().stream().map(DenoisingLoop.Step::patch).toList(), patches);
        for (float v : ort.latents().toFloats()) assertTrue(Float.isFinite(v));
    }

    /**
     * Each graph of the schedule is profiled once, its node times summed into the model's parts:
     * every part that has FLOPs was timed, on both runtimes (ONNX Runtime names fused nodes after
     * one of theirs, so its scopes survive), and the downsampling graph's self-attention counts
     * fewer FLOPs than the similarity-merge graph's, which alone does token matching.
     */
    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void profilesEachGraphIntoParts(String backend) {
        TokenMethod todo = Variant.parse("todo:factor=2").tokens();
        DenoiserGraphs graphs = DenoiserGraphs.of(tiny, org.attnbench.models.unet.ImageSize.square(RESOLUTION), new RandomWeights(5));
        try (DenoisingLoop.Prepared p = new DenoisingLoop(Backends.byName(backend), Device.CPU,
                CompileOptions.DEFAULT.withProfiling()).prepare(graphs,
                Variant.parse("todo:factor=2").plan(new UNetDenoiser(tiny), Scheduler.of("ddim", 3).timesteps()),
                new int[] {tiny.inChannels(), RESOLUTION / 8, RESOLUTION / 8},
                Conditioning.random(6, tiny.crossAttentionDim()), Scheduler.of("ddim", 3), Guidance.classifierFree(7.5), 7)) {
            String primary = todo.patch().describe();
            String secondary = todo.patchAt(1).describe();
            assertEquals(List.of(primary, secondary), List.copyOf(p.partMillis().keySet()));
            for (String graph : p.partMillis().keySet()) {
                Map<String, Double> ms = p.partMillis().get(graph);
                Map<String, Double> flops = p.partFlops().get(graph);
                assertEquals(flops.keySet(), ms.keySet());
                flops.forEach((part, f) -> assertTrue(f == 0 || ms.get(part) > 0, graph + ": " + part + " has FLOPs but no time"));
                assertTrue(flops.get(StepPart.SELF_ATTENTION.label()) > 0);
            }
            assertTrue(p.partFlops().get(primary).get(StepPart.TOKEN_MATCHING.label()) == 0);
            assertTrue(p.partFlops().get(secondary).get(StepPart.TOKEN_MATCHING.label()) > 0);
            assertTrue(p.partFlops().get(primary).get(StepPart.SELF_ATTENTION.label())
                    < p.partFlops().get(secondary).get(StepPart.SELF_ATTENTION.label()));
            assertEquals(3, p.sample(7, null).steps().size(), "the loop still runs after profiling");
        }
    }

    @Test
    void todoWithFactorOneIsDense() {
        float[] dense = run("onnxruntime", "dense").latents().toFloats();
        float[] todo = run("onnxruntime", "todo:factor=1,switch=0").latents().toFloats();
        assertTrue(maxRelErr(todo, dense) < 1e-5, "rel err " + maxRelErr(todo, dense));
    }
}
