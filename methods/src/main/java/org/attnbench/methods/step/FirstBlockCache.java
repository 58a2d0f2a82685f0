package org.attnbench.methods.step;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.methods.Methods;
import org.attnbench.methods.SpecParams;
import org.attnbench.methods.StepContext;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepMethod;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.TokenMethod;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm.FirstBlock;
import org.attnbench.tensor.HostTensor;

/**
 * First-block caching as diffusers v0.40 defines it ({@code hooks/first_block_cache.py},
 * {@code FirstBlockCacheConfig(threshold=0.05)}): at every step the first transformer block runs and
 * its residual r (output minus input, on the image stream, the whole batch) is compared with the
 * residual of the last step that computed, s = mean|r - r_prev| / mean|r_prev|. If there is none
 * (step 0) or s > {@code threshold}, the other blocks run and what they add to the first block's
 * output (the tail residual) is kept with r; otherwise the kept tail residual is added to the first
 * block's output and only the output layers run, with the current timestep's conditioning, and
 * nothing kept changes, so later steps are compared with the last computed one.
 *
 * <p>It runs where the reference does: PixArt and Flux. On SD3, diffusers' hook fails at step 0
 * (the last joint block returns no text states for its tail residual), and a UNet has no block list
 * for it; both are refused. Threshold 0 computes every step whose statistic is not exactly 0.
 */
public record FirstBlockCache(double threshold) implements StepMethod {
    public static final Methods.Entry METHOD = new Methods.Entry("first-block-cache", "FBCache", FirstBlockCache::parse,
            FirstBlockCache.class, List.of());
    private static final String PREVIOUS = "first-block-cache.previous_residual";
    private static final String TAIL = "first-block-cache." + FirstBlock.TAIL_RESIDUAL;

    public FirstBlockCache {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) throw new IllegalArgumentException("threshold must be >= 0");
    }

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        return "first-block-cache:threshold=" + threshold;
    }

    public String label() {
        return "FBCache t=" + org.attnbench.methods.Variant.number(threshold);
    }

    /** PixArt and Flux; SD3 and UNets refused, as the reference cannot run there. */
    public void check(Denoiser model) {
        switch (model.modelClass()) {
            case "SD3Transformer2DModel" -> throw new UserError("first-block-cache does not apply to " + model.name()
                    + " (SD3Transformer2DModel): diffusers 0.40's hook fails on its last joint block, which returns no text states");
            case "UNet2DConditionModel" -> throw new UserError("first-block-cache does not apply to " + model.name()
                    + " (a UNet has no transformer block list to split); for a UNet use deepcache");
            default -> { }
        }
    }

    public StepPlan plan(Denoiser model, TokenMethod tokens, double[] timesteps) {
        return new Plan(tokens, timesteps);
    }

    /** s = mean|r - prev| / mean|prev|, over every value of the batch. */
    static double statistic(float[] r, float[] previous) {
        double diff = 0, base = 0;
        for (int i = 0; i < r.length; i++) {
            diff += Math.abs((double) r[i] - previous[i]);
            base += Math.abs(previous[i]);
        }
        return diff / base;
    }

    /** The head at every step, then the tail, or the output layers on the kept tail residual. */
    private final class Plan implements StepPlan {
        private final TokenMethod tokens;
        private final Map<StepGraph, Integer> graphs = new LinkedHashMap<>();

        Plan(TokenMethod tokens, double[] timesteps) {
            this.tokens = tokens;
            for (int i = 0; i < timesteps.length; i++) {
                graphs.merge(graph(timesteps[i], FirstBlock.Part.HEAD), 1, Integer::sum);
                graphs.merge(graph(timesteps[i], FirstBlock.Part.TAIL), 1, Integer::sum);
                if (i > 0) graphs.merge(graph(timesteps[i], FirstBlock.Part.CACHED_TAIL), 1, Integer::sum);
            }
        }

        private StepGraph graph(double timestep, FirstBlock.Part part) {
            return new StepGraph(tokens.patchAt(timestep), new FirstBlock(part));
        }

        public Map<StepGraph, Integer> graphs() {
            return graphs;
        }

        public void begin() {}

        public Outcome step(StepContext step) {
            Map<String, HostTensor> head = new LinkedHashMap<>(step.run(graph(step.timestep(), FirstBlock.Part.HEAD), Map.of()));
            HostTensor residual = head.remove(FirstBlock.RESIDUAL);
            HostTensor previous = step.kept(PREVIOUS);
            double s = previous == null ? Double.NaN : statistic(residual.toFloats(), previous.toFloats());
            String note = previous == null ? "" : String.format(Locale.ROOT, "s=%.4f", s);
            if (previous == null || s > threshold) {
                Map<String, HostTensor> tail = step.run(graph(step.timestep(), FirstBlock.Part.TAIL), head);
                step.keep(PREVIOUS, residual);
                step.keep(TAIL, tail.get(FirstBlock.TAIL_RESIDUAL));
                return new Outcome(tail.get(DenoiserIO.OUT_SAMPLE), StepKind.FULL, note);
            }
            head.put(FirstBlock.TAIL_RESIDUAL, step.kept(TAIL));
            return new Outcome(step.run(graph(step.timestep(), FirstBlock.Part.CACHED_TAIL), head).get(DenoiserIO.OUT_SAMPLE),
                    StepKind.PARTIAL, note);
        }
    }

    private static FirstBlockCache parse(SpecParams p) {
        String v = p.string("threshold", "0.05");
        try {
            double t = Double.parseDouble(v);
            if (t >= 0 && !Double.isInfinite(t)) return new FirstBlockCache(t);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw p.bad("threshold", v, "a number >= 0 (diffusers' default 0.05)");
    }
}
