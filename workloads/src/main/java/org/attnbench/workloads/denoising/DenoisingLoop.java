package org.attnbench.workloads.denoising;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Guidance;
import org.attnbench.models.diffusion.Latents;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.HostTensor;

/**
 * Samples one image's latents: seeded noise, then per scheduler step the model's prediction
 * (noise, velocity or sample, as the scheduler's prediction type says; with classifier-free
 * guidance when the scale is above 1: the batch is (empty prompt, prompt) and
 * out = out_uncond + g (out_cond - out_uncond); a model that embeds guidance gets the scale as an
 * input instead, see {@link Guidance}) and the scheduler's update, which converts the prediction.
 * Every distinct graph of the schedule is compiled and run once (a warm-up on the first step's
 * inputs, whose result is discarded) before the first step, so step times hold only steady-state
 * running; the executables are closed when the loop ends.
 */
public final class DenoisingLoop {
    /** Wall time of one step (model input, the model's run, guidance, scheduler update). */
    public record Step(int index, double timestep, String patch, double millis) {}

    /** Called after each step, e.g. to print progress. */
    @FunctionalInterface
    public interface Listener {
        void stepDone(Step step, int steps);
    }

    /** The final latents [1, C, h, w] (float32), per-step timings and the one-off compile and warm-up times. */
    public record Result(HostTensor latents, List<Step> steps, double compileMillis, double warmupMillis, int batch) {
        public double totalMillis() {
            return steps.stream().mapToDouble(Step::millis).sum();
        }

        public double[] stepMillis() {
            return steps.stream().mapToDouble(Step::millis).toArray();
        }
    }

    private final Backend backend;
    private final Device device;
    private final CompileOptions options;

    public DenoisingLoop(Backend backend, Device device, CompileOptions options) {
        this.backend = backend;
        this.device = device;
        this.options = options;
    }

    /**
     * Compiles the loop's graphs, samples one image and closes them.
     *
     * @param latentShape channels, height and width of the latent grid (resolution / 8)
     * @param seed seed of the initial noise
     */
    public Result run(DenoiserGraphs graphs, int[] latentShape, Conditioning conditioning, Scheduler scheduler,
            Guidance guidance, long seed, Listener listener) {
        try (Prepared p = prepare(graphs, latentShape, conditioning, scheduler, guidance, seed)) {
            return p.sample(seed, listener);
        }
    }

    /**
     * Compiles every distinct graph of the schedule and warms each up once on the first step's
     * inputs for {@code warmupSeed}, so that {@link Prepared#sample} times steady-state running only.
     * With {@link CompileOptions#profiling()}, each graph then runs once more with its nodes timed
     * ({@link Prepared#partMillis}), before any timed step: ONNX Runtime's profiler is off by then.
     */
    public Prepared prepare(DenoiserGraphs graphs, int[] latentShape, Conditioning conditioning, Scheduler scheduler,
            Guidance guidance, long warmupSeed) {
        int batch = guidance.batch();
        List<DenoiserGraphs.Patched> perStep = new ArrayList<>();
        for (int i = 0; i < scheduler.steps(); i++) perStep.add(graphs.at(scheduler.timestep(i), batch));
        Prepared p = new Prepared(latentShape, conditioning, scheduler, guidance, batch, perStep);
        try {
            long c0 = System.nanoTime();
            for (DenoiserGraphs.Patched patched : perStep) {
                if (!p.compiled.containsKey(patched.patch())) {
                    OnnxModel model = patched.graph().get();
                    p.costs.put(patched.patch(), GraphCost.of(model.proto()));
                    p.compiled.put(patched.patch(), backend.compile(model, device, options));
                }
            }
            p.compileMillis = (System.nanoTime() - c0) / 1e6;
            // The built graphs are gone, and with them the weights a backend only copied (ONNX
            // Runtime's blocked filters): free that memory before the steps that are measured.
            System.gc();
            long w0 = System.nanoTime();
            Map<String, HostTensor> inputs = p.inputs(Latents.initial(warmupSeed, p.c, p.h, p.w, scheduler), 0);
            for (Executable exe : p.compiled.values()) exe.run(inputs);
            p.warmupMillis = (System.nanoTime() - w0) / 1e6;
            if (options.profiling()) {
                p.compiled.forEach((patch, exe) -> p.partMillis.put(patch, StepPart.sum(exe.profile(inputs))));
            }
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** A loop whose graphs are compiled and warm: sample as many images as wanted, then close. */
    public static final class Prepared implements AutoCloseable {
        private final Map<String, Executable> compiled = new LinkedHashMap<>();
        private final Map<String, GraphCost> costs = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> partMillis = new LinkedHashMap<>();
        /** The prompt states of every step, built once: they are not part of a step's work. */
        private final Map<String, HostTensor> conditioning;
        private final Scheduler scheduler;
        private final Guidance guidance;
        private final int batch;
        private final int c;
        private final int h;
        private final int w;
        private final List<DenoiserGraphs.Patched> perStep;
        private double compileMillis;
        private double warmupMillis;

        private Prepared(int[] latentShape, Conditioning conditioning, Scheduler scheduler, Guidance guidance, int batch,
                List<DenoiserGraphs.Patched> perStep) {
            this.conditioning = conditioning.inputs(batch);
            if (guidance.embedded()) {
                float[] scale = new float[batch];
                Arrays.fill(scale, (float) guidance.scale());
                this.conditioning.put(DenoiserIO.GUIDANCE, HostTensor.of(scale, batch));
            }
            this.scheduler = scheduler;
            this.guidance = guidance;
            this.batch = batch;
            this.c = latentShape[0];
            this.h = latentShape[1];
            this.w = latentShape[2];
            this.perStep = perStep;
        }

        /** Samples one image from the seeded noise. */
        public Result sample(long seed, Listener listener) {
            double[] x = Latents.initial(seed, c, h, w, scheduler);
            scheduler.begin(seed);
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < scheduler.steps(); i++) {
                long t0 = System.nanoTime();
                Map<String, HostTensor> inputs = inputs(x, i);
                String patch = perStep.get(i).patch();
                float[] out = compiled.get(patch).run(inputs).get(DenoiserIO.OUT_SAMPLE).toFloats();
                scheduler.step(x, guided(out, x.length, batch, guidance.scale()), i);
                Step step = new Step(i, scheduler.timestep(i), patch, (System.nanoTime() - t0) / 1e6);
                steps.add(step);
                if (listener != null) listener.stepDone(step, scheduler.steps());
            }
            return new Result(HostTensor.of(toFloats(x), 1, c, h, w), steps, compileMillis, warmupMillis, batch);
        }

        /** Floating-point operations and minimal bytes of one whole image (every step's graph). */
        public double[] flopsAndBytes() {
            double flops = 0;
            double bytes = 0;
            for (DenoiserGraphs.Patched p : perStep) {
                flops += costs.get(p.patch()).flops();
                bytes += costs.get(p.patch()).minimalBytes();
            }
            return new double[] {flops, bytes};
        }

        /** Steps of one image. */
        public int steps() {
            return scheduler.steps();
        }

        /** Floating-point operations of one step of each graph, by its patch description. */
        public Map<String, Double> flopsPerStep() {
            Map<String, Double> out = new LinkedHashMap<>();
            costs.forEach((patch, cost) -> out.put(patch, cost.flops()));
            return out;
        }

        /** One profiled step of each graph, by its patch description: milliseconds per {@link StepPart}. */
        public Map<String, Map<String, Double>> partMillis() {
            return partMillis;
        }

        /** Floating-point operations of one step of each graph per {@link StepPart}, by its patch description. */
        public Map<String, Map<String, Double>> partFlops() {
            Map<String, Map<String, Double>> out = new LinkedHashMap<>();
            costs.forEach((patch, cost) -> out.put(patch, cost.flopsByPart()));
            return out;
        }

        /** The settings of the first compiled graph (all share them). */
        public Map<String, String> settings() {
            return compiled.values().iterator().next().settings();
        }

        public int batch() {
            return batch;
        }

        private Map<String, HostTensor> inputs(double[] x, int i) {
            Map<String, HostTensor> inputs = new LinkedHashMap<>(conditioning);
            stepInputs(inputs, x, scheduler, i, batch, c, h, w);
            return inputs;
        }

        @Override
        public void close() {
            compiled.values().forEach(Executable::close);
            compiled.clear();
        }
    }

    /** Puts step i's sample and timestep into the inputs. */
    private static void stepInputs(Map<String, HostTensor> inputs, double[] x, Scheduler scheduler, int i, int batch,
            int c, int h, int w) {
        float t = (float) scheduler.timestep(i);
        inputs.put(DenoiserIO.SAMPLE, sample(x, scheduler.inputScale(i), batch, c, h, w));
        inputs.put(DenoiserIO.TIMESTEP, HostTensor.of(batch == 1 ? new float[] {t} : new float[] {t, t}, batch));
    }

    /** The scaled latents, repeated once per batch entry. */
    private static HostTensor sample(double[] x, double scale, int batch, int c, int h, int w) {
        float[] s = new float[x.length * batch];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < x.length; k++) s[b * x.length + k] = (float) (x[k] * scale);
        }
        return HostTensor.of(s, batch, c, h, w);
    }

    /**
     * The noise prediction, guided when the batch holds (uncond, cond): the first n values of each
     * batch entry's output (a model that also predicts its variance, as PixArt's 8 channels do,
     * has the noise in its first channels; guidance acts per channel, so only those need it).
     */
    private static double[] guided(float[] out, int n, int batch, double guidance) {
        int stride = out.length / batch;
        double[] eps = new double[n];
        for (int k = 0; k < n; k++) {
            eps[k] = batch == 1 ? out[k] : out[k] + guidance * (out[stride + k] - out[k]);
        }
        return eps;
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int k = 0; k < x.length; k++) f[k] = (float) x[k];
        return f;
    }
}
