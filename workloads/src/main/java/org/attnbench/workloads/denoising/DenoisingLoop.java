package org.attnbench.workloads.denoising;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;
import org.attnbench.methods.StepContext;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepPlan;
import org.attnbench.metrics.cost.GraphCost;
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Guidance;
import org.attnbench.models.diffusion.Latents;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * Samples one image's latents: the initial noise (seeded, or given), then per scheduler step the
 * model's prediction (noise, velocity or sample, as the scheduler's prediction type says; with
 * classifier-free guidance when the scale is above 1: the batch is (empty prompt, prompt) and
 * out = out_uncond + g (out_cond - out_uncond); a model that embeds guidance gets the scale as an
 * input instead, see {@link Guidance}) and the scheduler's update, which converts the prediction.
 *
 * <p>What a step runs is the variant's {@link StepPlan}'s to say, asked at every step with the
 * step's index and timestep and the tensors it asked to keep: the whole model under the token
 * method's patch of that timestep, or, for a method that works across steps, parts of it and what
 * an earlier step left. Every graph the plan may run is compiled and run once (a warm-up on the
 * first step's inputs, zeros for what a method carries, whose result is discarded) before the first
 * step, so step times hold only steady-state running; the executables are closed when the loop ends.
 *
 * <p>The tensors a plan keeps live in host memory between steps, which is the device's on the CPU;
 * on CUDA each crosses to the host after the step that made it and back for the step that reads
 * it, as the latents do (backends copy a run's inputs in and its outputs out). The loop counts
 * their bytes ({@link Result#keptBytes}).
 */
public final class DenoisingLoop {
    /**
     * One step: its wall time (model inputs, every graph it ran, guidance, scheduler update), what it
     * ran ({@code patch}: the graphs' lines joined by " + "), its kind and the plan's note.
     */
    public record Step(int index, double timestep, String patch, StepPlan.StepKind kind, String note, double millis) {}

    /** Called after each step, e.g. to print progress. */
    @FunctionalInterface
    public interface Listener {
        void stepDone(Step step, int steps);
    }

    /**
     * The final latents [1, C, h, w] (float32), the latents after every step, per-step timings, the
     * one-off compile and warm-up times, and the most bytes the plan kept across steps at once.
     */
    public record Result(HostTensor latents, List<HostTensor> stepLatents, List<Step> steps, double compileMillis,
            double warmupMillis, int batch, long keptBytes) {
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
     * Compiles the plan's graphs, samples one image from seeded noise and closes them.
     *
     * @param latentShape channels, height and width of the latent grid (resolution / 8)
     * @param seed seed of the initial noise
     */
    public Result run(DenoiserGraphs graphs, StepPlan plan, int[] latentShape, Conditioning conditioning, Scheduler scheduler,
            Guidance guidance, long seed, Listener listener) {
        try (Prepared p = prepare(graphs, plan, latentShape, conditioning, scheduler, guidance, seed)) {
            return p.sample(seed, listener);
        }
    }

    /**
     * Compiles every graph of the plan and warms each up once on the first step's inputs for
     * {@code warmupSeed}, so that {@link Prepared#sample} times steady-state running only. With
     * {@link CompileOptions#profiling()}, each graph then runs once more with its nodes timed
     * ({@link Prepared#partMillis}), before any timed step: ONNX Runtime's profiler is off by then.
     */
    public Prepared prepare(DenoiserGraphs graphs, StepPlan plan, int[] latentShape, Conditioning conditioning,
            Scheduler scheduler, Guidance guidance, long warmupSeed) {
        int batch = guidance.batch();
        Prepared p = new Prepared(latentShape, conditioning, scheduler, guidance, batch, plan);
        try {
            long c0 = System.nanoTime();
            Map<String, Map<String, HostTensor>> carried = new LinkedHashMap<>();
            for (StepGraph graph : plan.graphList()) {
                String key = graph.describe();
                if (p.compiled.containsKey(key)) continue;
                OnnxModel model = graphs.build(graph, batch);
                p.costs.put(key, GraphCost.of(model.proto()));
                carried.put(key, zerosForExtraInputs(model));
                p.compiled.put(key, backend.compile(model, device, options));
            }
            p.compileMillis = (System.nanoTime() - c0) / 1e6;
            // The built graphs are gone, and with them the weights a backend only copied (ONNX
            // Runtime's blocked filters): free that memory before the steps that are measured.
            System.gc();
            long w0 = System.nanoTime();
            Map<String, HostTensor> inputs = p.inputs(Latents.initial(warmupSeed, p.c, p.h, p.w, scheduler), 0);
            Map<String, Map<String, HostTensor>> warmup = new LinkedHashMap<>();
            p.compiled.forEach((key, exe) -> {
                Map<String, HostTensor> in = new HashMap<>(inputs);
                in.putAll(carried.get(key));
                warmup.put(key, in);
                exe.run(only(exe, in));
            });
            p.warmupMillis = (System.nanoTime() - w0) / 1e6;
            if (options.profiling()) {
                p.compiled.forEach((key, exe) -> p.partMillis.put(key, StepPart.sum(exe.profile(only(exe, warmup.get(key))))));
            }
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Zeros for every input of a graph that is not one of a denoiser's own: what a cross-step method carries. */
    private static Map<String, HostTensor> zerosForExtraInputs(OnnxModel model) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (ValueInfoProto in : model.proto().getGraph().getInputList()) {
            if (STEP_INPUTS.contains(in.getName()) || isWeight(model, in.getName())) continue;
            long[] shape = in.getType().getTensorType().getShape().getDimList().stream().mapToLong(d -> d.getDimValue()).toArray();
            DType dtype = DType.fromOnnx(in.getType().getTensorType().getElemType()).orElse(DType.FLOAT32);
            out.put(in.getName(), HostTensor.allocate(dtype, shape));
        }
        return out;
    }

    private static final java.util.Set<String> STEP_INPUTS = java.util.Set.of(DenoiserIO.SAMPLE, DenoiserIO.TIMESTEP,
            DenoiserIO.ENCODER_HIDDEN_STATES, DenoiserIO.TEXT_EMBEDS, DenoiserIO.TIME_IDS, DenoiserIO.GUIDANCE,
            DenoiserIO.ENCODER_ATTENTION_MASK);

    private static boolean isWeight(OnnxModel model, String name) {
        return model.initializer(name).isPresent();
    }

    /** The inputs a graph declares, out of those offered. */
    private static Map<String, HostTensor> only(Executable exe, Map<String, HostTensor> offered) {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        for (String name : exe.inputNames()) {
            HostTensor t = offered.get(name);
            if (t != null) in.put(name, t);
        }
        return in;
    }

    /** A loop whose graphs are compiled and warm: sample as many images as wanted, then close. */
    public static final class Prepared implements AutoCloseable {
        private final Map<String, Executable> compiled = new LinkedHashMap<>();
        private final Map<String, GraphCost> costs = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> partMillis = new LinkedHashMap<>();
        /** The prompt states of every step, built once per prompt: they are not part of a step's work. */
        private Map<String, HostTensor> conditioning;
        private final Scheduler scheduler;
        private final Guidance guidance;
        private final int batch;
        private final int c;
        private final int h;
        private final int w;
        private final StepPlan plan;
        private double compileMillis;
        private double warmupMillis;
        /** What each step of the last image ran (graph keys), for its cost. */
        private List<List<String>> lastRuns = List.of();

        private Prepared(int[] latentShape, Conditioning conditioning, Scheduler scheduler, Guidance guidance, int batch,
                StepPlan plan) {
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
            this.plan = plan;
        }

        /** Samples one image from the seeded noise. */
        public Result sample(long seed, Listener listener) {
            return sample(Latents.initial(seed, c, h, w, scheduler), seed, listener);
        }

        /**
         * Samples one image from the given initial latents [1, C, h, w] (scaled by the scheduler's
         * initial sigma, as a pipeline scales its noise); {@code seed} starts a stochastic scheduler.
         */
        public Result sample(HostTensor initial, long seed, Listener listener) {
            if (!Arrays.equals(initial.shape(), new long[] {1, c, h, w})) {
                throw new org.attnbench.core.UserError("initial latents have shape " + Arrays.toString(initial.shape())
                        + ", the loop samples [1, " + c + ", " + h + ", " + w + "]");
            }
            float[] values = initial.toFloats();
            double[] x = new double[values.length];
            for (int k = 0; k < x.length; k++) x[k] = values[k] * scheduler.initNoiseSigma();
            return sample(x, seed, listener);
        }

        private Result sample(double[] x, long seed, Listener listener) {
            scheduler.begin(seed);
            plan.begin();
            List<Step> steps = new ArrayList<>();
            List<HostTensor> stepLatents = new ArrayList<>();
            List<List<String>> runs = new ArrayList<>();
            Carry carry = new Carry();
            for (int i = 0; i < scheduler.steps(); i++) {
                long t0 = System.nanoTime();
                Context ctx = new Context(i, inputs(x, i), carry);
                StepPlan.Outcome outcome = plan.step(ctx);
                scheduler.step(x, guided(outcome.prediction().toFloats(), x.length, batch, guidance.scale()), i);
                Step step = new Step(i, scheduler.timestep(i), String.join(" + ", ctx.ran), outcome.kind(), outcome.note(),
                        (System.nanoTime() - t0) / 1e6);
                steps.add(step);
                runs.add(ctx.ran);
                stepLatents.add(HostTensor.of(toFloats(x), 1, c, h, w));
                if (listener != null) listener.stepDone(step, scheduler.steps());
            }
            lastRuns = runs;
            return new Result(HostTensor.of(toFloats(x), 1, c, h, w), stepLatents, steps, compileMillis, warmupMillis, batch,
                    carry.peakBytes);
        }

        /**
         * Samples one image from the seeded noise under another prompt's conditioning, of the length
         * the graphs were built for; later samples keep it.
         */
        public Result sample(Conditioning prompt, long seed, Listener listener) {
            Map<String, HostTensor> inputs = prompt.inputs(batch);
            HostTensor scale = conditioning.get(DenoiserIO.GUIDANCE);
            if (scale != null) inputs.put(DenoiserIO.GUIDANCE, scale);
            conditioning = inputs;
            return sample(seed, listener);
        }

        /**
         * Floating-point operations and minimal bytes of one whole image: every graph each step of
         * the last sampled image ran (a plan that decides from the step's tensors may run other
         * graphs on another image), or, before any image, what the plan declares it runs at most.
         */
        public double[] flopsAndBytes() {
            double flops = 0;
            double bytes = 0;
            if (lastRuns.isEmpty()) {
                for (Map.Entry<StepGraph, Integer> e : plan.graphs().entrySet()) {
                    GraphCost cost = costs.get(e.getKey().describe());
                    flops += e.getValue() * cost.flops();
                    bytes += e.getValue() * cost.minimalBytes();
                }
                return new double[] {flops, bytes};
            }
            for (List<String> run : lastRuns) {
                for (String graph : run) {
                    flops += costs.get(graph).flops();
                    bytes += costs.get(graph).minimalBytes();
                }
            }
            return new double[] {flops, bytes};
        }

        /** Steps of one image. */
        public int steps() {
            return scheduler.steps();
        }

        /** Floating-point operations of one step that ran these graphs ({@link Step#patch}). */
        public double flopsOf(String patch) {
            double sum = 0;
            for (String graph : patch.split(" \\+ ")) sum += costs.get(graph).flops();
            return sum;
        }

        /** Floating-point operations of one run of each graph, by its line. */
        public Map<String, Double> flopsPerGraph() {
            Map<String, Double> out = new LinkedHashMap<>();
            costs.forEach((graph, cost) -> out.put(graph, cost.flops()));
            return out;
        }

        /** One profiled run of each graph, by its line: milliseconds per {@link StepPart}. */
        public Map<String, Map<String, Double>> partMillis() {
            return partMillis;
        }

        /** One profiled step that ran these graphs: the graphs' parts summed; null when not profiled. */
        public Map<String, Double> partMillisOf(String patch) {
            return sumParts(patch, partMillis);
        }

        /** Floating-point operations of one step that ran these graphs, per {@link StepPart}. */
        public Map<String, Double> partFlopsOf(String patch) {
            return sumParts(patch, partFlops());
        }

        /** Floating-point operations of one run of each graph per {@link StepPart}, by its line. */
        public Map<String, Map<String, Double>> partFlops() {
            Map<String, Map<String, Double>> out = new LinkedHashMap<>();
            costs.forEach((graph, cost) -> out.put(graph, cost.flopsByPart()));
            return out;
        }

        private static Map<String, Double> sumParts(String patch, Map<String, Map<String, Double>> byGraph) {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String graph : patch.split(" \\+ ")) {
                Map<String, Double> parts = byGraph.get(graph);
                if (parts == null) return null;
                parts.forEach((part, v) -> out.merge(part, v, Double::sum));
            }
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

        /** One step as its plan sees it. */
        private final class Context implements StepContext {
            private final int index;
            private final Map<String, HostTensor> inputs;
            private final Carry carry;
            private final List<String> ran = new ArrayList<>();

            Context(int index, Map<String, HostTensor> inputs, Carry carry) {
                this.index = index;
                this.inputs = inputs;
                this.carry = carry;
            }

            public int index() {
                return index;
            }

            public double timestep() {
                return scheduler.timestep(index);
            }

            public Map<String, HostTensor> run(StepGraph graph, Map<String, HostTensor> extra) {
                String key = graph.describe();
                Executable exe = compiled.get(key);
                if (exe == null) {
                    throw new IllegalStateException("the plan ran a graph it did not declare: " + key + "; declared "
                            + compiled.keySet().stream().collect(Collectors.joining("; ")));
                }
                Map<String, HostTensor> offered = new HashMap<>(inputs);
                offered.putAll(extra);
                ran.add(key);
                return exe.run(only(exe, offered));
            }

            public void keep(String name, HostTensor tensor) {
                carry.keep(name, tensor);
            }

            public HostTensor kept(String name) {
                return carry.kept.get(name);
            }
        }
    }

    /** The tensors a plan keeps across the steps of one image, and the most bytes they held at once. */
    private static final class Carry {
        private final Map<String, HostTensor> kept = new HashMap<>();
        private long peakBytes;

        void keep(String name, HostTensor tensor) {
            kept.put(name, tensor);
            peakBytes = Math.max(peakBytes, kept.values().stream().mapToLong(HostTensor::byteSize).sum());
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
