package org.attnbench.workloads.denoising;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.attnbench.backend.Backends;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.step.EveryStep;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Guidance;
import org.attnbench.models.diffusion.Latents;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop's mechanics on a stand-in UNet with the real one's inputs and output:
 * out = 0.1 sample + mean(encoder states) + k, where the constant k tells which patch's graph ran.
 */
class DenoisingLoopTest {
    private static final int DIM = 8;
    private static final int[] LATENT = {4, 6, 5};

    /** The stand-in's patch by timestep, shaped like ToDo's schedule: primary, secondary, none. */
    private static String patchAt(double t) {
        return t > 600 ? "primary" : t > 200 ? "secondary" : "none";
    }

    /** A stand-in token method whose patch at t is named patchAt(t): the stand-in graphs tell them apart. */
    private static final TokenMethod SCHEDULED = new TokenMethod() {
        public Kernel kernel() {
            return Kernel.MATMUL;
        }

        public String canonical() {
            return "stand-in";
        }

        public String family() {
            return "stand-in";
        }

        public String label() {
            return "stand-in";
        }

        public TokenPatch patch() {
            return patchAt(1000);
        }

        public TokenPatch patchAt(double t) {
            String name = DenoisingLoopTest.patchAt(t);
            return new TokenPatch() {
                public Kernel kernel() {
                    return Kernel.MATMUL;
                }

                public BlockMethod atBlock(int downsample) {
                    return BlockMethod.unpatched(Kernel.MATMUL);
                }

                public boolean fits(int h, int w, boolean levels) {
                    return true;
                }

                public String name() {
                    return name;
                }

                public String describe() {
                    return name;
                }
            };
        }

        public TokenMethod withKernel(Kernel k) {
            return this;
        }
    };

    private static StepPlan plan(Scheduler s) {
        return new EveryStep(SCHEDULED, s.timesteps());
    }

    private static float constantOf(String patch) {
        return switch (patch) {
            case "primary" -> 0.01f;
            case "secondary" -> 0.02f;
            default -> 0;
        };
    }

    private static OnnxModel standIn(int batch, float k) {
        GraphBuilder g = new GraphBuilder("stand_in_unet");
        Value sample = g.input(DenoiserIO.SAMPLE, DType.FLOAT32, batch, LATENT[0], LATENT[1], LATENT[2]);
        g.input(DenoiserIO.TIMESTEP, DType.FLOAT32, batch);
        Value states = g.input(DenoiserIO.ENCODER_HIDDEN_STATES, DType.FLOAT32, batch, Conditioning.TOKENS, DIM);
        Value mean = g.unsqueeze(g.reduceMean(states, new long[] {1, 2}, false), 1, 2, 3);
        Value out = g.add(g.add(g.mul(sample, g.constScalar(0.1f)), mean), g.constScalar(k));
        g.output(DenoiserIO.OUT_SAMPLE, out);
        return g.build();
    }

    /** The same loop in plain double arithmetic. */
    private static double[] expected(Scheduler s, Conditioning cond, double guidance, long seed) {
        float[] states = cond.inputs(2).get(DenoiserIO.ENCODER_HIDDEN_STATES).toFloats();
        int n = Conditioning.TOKENS * DIM;
        double[] mean = new double[2];
        for (int b = 0; b < 2; b++) {
            for (int k = 0; k < n; k++) mean[b] += states[b * n + k] / n;
        }
        double[] x = Latents.initial(seed, LATENT[0], LATENT[1], LATENT[2], s);
        s.begin(seed);
        for (int i = 0; i < s.steps(); i++) {
            double k = constantOf(patchAt(s.timestep(i)));
            double[] eps = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double in = 0.1 * x[j] * s.inputScale(i) + k;
                double u = in + mean[0];
                double c = in + mean[1];
                eps[j] = u + guidance * (c - u);
            }
            s.step(x, eps, i);
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void guidedDdimRunsEachPatchOnceCompiledAtItsTimesteps(String backend) {
        List<String> built = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        DenoiserGraphs graphs = (graph, batch) -> {
            String patch = graph.describe();
            built.add(patch);
            batches.add(batch);
            return standIn(batch, constantOf(patch));
        };
        Scheduler ddim = Scheduler.of("ddim", 10);
        Conditioning cond = Conditioning.random(3, DIM);
        List<DenoisingLoop.Step> seen = new ArrayList<>();
        DenoisingLoop.Result r = new DenoisingLoop(Backends.byName(backend), Device.CPU, CompileOptions.DEFAULT)
                .run(graphs, plan(ddim), LATENT, cond, ddim, Guidance.classifierFree(7.5), 42, (step, steps) -> seen.add(step));

        assertEquals(List.of("primary", "secondary", "none"), built);
        assertEquals(List.of(2, 2, 2), batches);
        assertEquals(2, r.batch());
        assertTrue(r.compileMillis() > 0 && r.warmupMillis() > 0);
        assertEquals(10, r.steps().size());
        assertEquals(r.steps(), seen);
        for (DenoisingLoop.Step step : r.steps()) {
            assertEquals(ddim.timestep(step.index()), step.timestep());
            assertEquals(patchAt(step.timestep()), step.patch());
            assertEquals(StepPlan.StepKind.FULL, step.kind());
            assertTrue(step.millis() > 0);
        }
        assertArrayEquals(new long[] {1, 4, 6, 5}, r.latents().shape());
        assertEquals(10, r.stepLatents().size());
        assertArrayEquals(r.latents().toFloats(), r.stepLatents().get(9).toFloats());
        assertEquals(0, r.keptBytes(), "a plan without a cross-step method keeps nothing");
        float[] got = r.latents().toFloats();
        double[] want = expected(ddim, cond, 7.5, 42);
        for (int j = 0; j < want.length; j++) {
            assertTrue(Float.isFinite(got[j]));
            assertEquals(want[j], got[j], 1e-4 * Math.max(1, Math.abs(want[j])), "latent " + j);
        }
    }

    /** Multistep and stochastic samplers start each image afresh: the same seed twice gives the same image, as computed by hand. */
    @ParameterizedTest
    @ValueSource(strings = {"euler-ancestral", "pndm", "dpm++2m"})
    void eachImageStartsTheSchedulerAfresh(String name) {
        DenoiserGraphs graphs = (graph, batch) -> standIn(batch, constantOf(graph.describe()));
        Scheduler scheduler = Scheduler.of(name, 6);
        Conditioning cond = Conditioning.random(3, DIM);
        try (DenoisingLoop.Prepared p = new DenoisingLoop(Backends.byName("onnxruntime"), Device.CPU, CompileOptions.DEFAULT)
                .prepare(graphs, plan(scheduler), LATENT, cond, scheduler, Guidance.classifierFree(3), 5)) {
            float[] first = p.sample(5, null).latents().toFloats();
            float[] other = p.sample(6, null).latents().toFloats();
            float[] again = p.sample(5, null).latents().toFloats();
            assertArrayEquals(first, again);
            HostTensor given = HostTensor.of(Latents.initial(5, LATENT[0], LATENT[1], LATENT[2], Scheduler.of("ddim", 1)), 1,
                    LATENT[0], LATENT[1], LATENT[2]);
            float[] fromGiven = p.sample(given, 5, null).latents().toFloats();
            for (int j = 0; j < first.length; j++) {
                // the given noise is the seeded noise rounded to float32
                assertEquals(first[j], fromGiven[j], 1e-5 * Math.max(1, Math.abs(first[j])), "latent " + j);
            }
            assertTrue(Math.abs(first[0] - other[0]) > 1e-6);
            double[] want = expected(Scheduler.of(name, 6), cond, 3, 5);
            for (int j = 0; j < want.length; j++) {
                assertEquals(want[j], first[j], 1e-4 * Math.max(1, Math.abs(want[j])), "latent " + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime"})
    void guidanceOneRunsBatchOne(String backend) {
        List<Integer> batches = new ArrayList<>();
        DenoiserGraphs graphs = (graph, batch) -> {
            batches.add(batch);
            return standIn(batch, 0);
        };
        Scheduler euler = Scheduler.of("euler", 3);
        DenoisingLoop.Result r = new DenoisingLoop(Backends.byName(backend), Device.CPU, CompileOptions.DEFAULT)
                .run(graphs, new EveryStep(new org.attnbench.methods.token.Dense(Kernel.MATMUL), euler.timesteps()), LATENT,
                        Conditioning.random(3, DIM), euler, Guidance.classifierFree(1.0), 7, null);
        assertEquals(List.of(1), batches);
        assertEquals(1, r.batch());
        for (float v : r.latents().toFloats()) assertTrue(Float.isFinite(v));
    }
}
