package org.attnbench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.backend.Executable;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Latents;
import org.attnbench.models.diffusion.Scheduler;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.HostTensor;

/**
 * Samples one image's latents: seeded noise, then per scheduler step the UNet's noise
 * prediction (with classifier-free guidance when the scale is above 1: the batch is (empty
 * prompt, prompt) and eps = eps_uncond + g (eps_cond - eps_uncond)) and the scheduler's update.
 * Every distinct graph of the schedule is compiled and run once (a warm-up on the first step's
 * inputs, whose result is discarded) before the first step, so step times hold only steady-state
 * running; the executables are closed when the loop ends.
 */
public final class DenoisingLoop {
    /** Wall time of one step (model input, UNet run, guidance, scheduler update). */
    public record Step(int index, int timestep, String patch, double millis) {}

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
     * @param latentShape channels, height and width of the latent grid (resolution / 8)
     * @param seed seed of the initial noise
     */
    public Result run(UNetGraphs graphs, int[] latentShape, Conditioning conditioning, Scheduler scheduler,
            double guidance, long seed, Listener listener) {
        int batch = guidance > 1 ? 2 : 1;
        int c = latentShape[0];
        int h = latentShape[1];
        int w = latentShape[2];
        List<UNetGraphs.Patched> perStep = new ArrayList<>();
        for (int i = 0; i < scheduler.steps(); i++) perStep.add(graphs.at(scheduler.timestep(i), batch));
        Map<String, Executable> compiled = new LinkedHashMap<>();
        try {
            long c0 = System.nanoTime();
            for (UNetGraphs.Patched p : perStep) {
                if (!compiled.containsKey(p.patch())) compiled.put(p.patch(), backend.compile(p.graph().get(), device, options));
            }
            double compileMillis = (System.nanoTime() - c0) / 1e6;
            Map<String, HostTensor> inputs = new LinkedHashMap<>(conditioning.inputs(batch));
            double[] x = Latents.initial(seed, c, h, w, scheduler);
            long w0 = System.nanoTime();
            stepInputs(inputs, x, scheduler, 0, batch, c, h, w);
            for (Executable exe : compiled.values()) exe.run(inputs);
            double warmupMillis = (System.nanoTime() - w0) / 1e6;
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < scheduler.steps(); i++) {
                long t0 = System.nanoTime();
                int t = stepInputs(inputs, x, scheduler, i, batch, c, h, w);
                String patch = perStep.get(i).patch();
                float[] out = compiled.get(patch).run(inputs).get(UNetGraph.OUT_SAMPLE).toFloats();
                scheduler.step(x, guided(out, x.length, batch, guidance), i);
                Step step = new Step(i, t, patch, (System.nanoTime() - t0) / 1e6);
                steps.add(step);
                if (listener != null) listener.stepDone(step, scheduler.steps());
            }
            return new Result(HostTensor.of(toFloats(x), 1, c, h, w), steps, compileMillis, warmupMillis, batch);
        } finally {
            compiled.values().forEach(Executable::close);
        }
    }

    /** Puts step i's sample and timestep into the inputs; returns the timestep. */
    private static int stepInputs(Map<String, HostTensor> inputs, double[] x, Scheduler scheduler, int i, int batch,
            int c, int h, int w) {
        int t = scheduler.timestep(i);
        inputs.put(UNetGraph.SAMPLE, sample(x, scheduler.inputScale(i), batch, c, h, w));
        inputs.put(UNetGraph.TIMESTEP, HostTensor.of(batch == 1 ? new float[] {t} : new float[] {t, t}, batch));
        return t;
    }

    /** The scaled latents, repeated once per batch entry. */
    private static HostTensor sample(double[] x, double scale, int batch, int c, int h, int w) {
        float[] s = new float[x.length * batch];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < x.length; k++) s[b * x.length + k] = (float) (x[k] * scale);
        }
        return HostTensor.of(s, batch, c, h, w);
    }

    /** The noise prediction, guided when the batch holds (uncond, cond). */
    private static double[] guided(float[] out, int n, int batch, double guidance) {
        double[] eps = new double[n];
        for (int k = 0; k < n; k++) {
            eps[k] = batch == 1 ? out[k] : out[k] + guidance * (out[n + k] - out[k]);
        }
        return eps;
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int k = 0; k < x.length; k++) f[k] = (float) x[k];
        return f;
    }
}
