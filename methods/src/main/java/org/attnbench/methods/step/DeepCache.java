package org.attnbench.methods.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.methods.Methods;
import org.attnbench.methods.PaperClaim;
import org.attnbench.methods.SpecParams;
import org.attnbench.methods.StepContext;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepMethod;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm.SkipBranch;
import org.attnbench.models.diffusion.UNetDenoiser;
import org.attnbench.models.unet.UNetGraph;

/**
 * DeepCache (Ma, Fang and Wang, CVPR 2024; the reference is horseee/DeepCache): on a UNet's full
 * steps the whole model runs and the up path's hidden state at one skip branch is kept; on the
 * steps between, only the branch's shallow side runs (the time embedding, conv_in, the down path
 * before the branch and the up path after it) on that kept feature, with fresh skips and the current
 * timestep's embedding.
 *
 * <p>Keys are the reference's: {@code cache_interval} (default 1: every step full, the plain loop)
 * and {@code cache_branch_id} (default 0) as {@code DeepCacheSDHelper.set_params} names them, the
 * branch being down block {@code cache_branch_id // 3} from its layer {@code cache_branch_id % 3} on
 * (so 0 leaves only the last up block's last layer, and 3k caches down block k whole). The schedule:
 * uniform, as the helper's, full at steps 0, N, 2N, ...; or, with {@code uniform=false}, the
 * non-uniform one of the repository's experimental pipeline, {@code sample_from_quad_center} with
 * its {@code pow} and {@code center} (that pipeline names its branch by {@code cache_layer_id} and
 * {@code cache_block_id}; its (0, 0) is the helper's branch 1, so it is written here with the
 * helper's {@code cache_branch_id}). Classifier-free guidance runs one batch of two, which the kept
 * feature holds whole.
 */
public record DeepCache(int cacheInterval, int cacheBranchId, boolean uniform, double pow, int center) implements StepMethod {
    /** Ma, Fang and Wang, "DeepCache: Accelerating Diffusion Models for Free" (CVPR 2024). */
    public static final String PAPER = "DeepCache (arXiv 2312.00858)";
    public static final Methods.Entry METHOD = new Methods.Entry("deepcache", "DeepCache", DeepCache::parse, DeepCache.class,
            List.of(new PaperClaim("DeepCache on SD 1.5", PAPER, "2.3×", 2.3,
                    "50 PLMS steps, GPU; the claim names no interval", 512, 512, null, Double.NaN,
                    new PaperClaim.Timed("sd15", "SD 1.5", "fused", "diffusers' default attention (scaled_dot_product_attention)",
                            "cuda", "float16"))));
    private static final String KEPT = "deepcache." + SkipBranch.FEATURE;

    public DeepCache {
        if (cacheInterval < 1 || cacheBranchId < 0) {
            throw new IllegalArgumentException("DeepCache needs cache_interval >= 1 and cache_branch_id >= 0");
        }
    }

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        return "deepcache:cache_interval=" + cacheInterval + ",cache_branch_id=" + cacheBranchId
                + (uniform ? "" : ",uniform=false,pow=" + Variant.number(pow) + ",center=" + center);
    }

    /** "DeepCache N=3", with the branch where it is not 0 and the non-uniform schedule where it is asked for. */
    public String label() {
        return "DeepCache N=" + cacheInterval + (cacheBranchId == 0 ? "" : " b=" + cacheBranchId) + (uniform ? "" : " non-uniform");
    }

    /** The branch as the UNet offers it: down block {@code id // 3}, layer {@code id % 3}. */
    public SkipBranch branch(boolean shallow) {
        return new SkipBranch(cacheBranchId / 3, cacheBranchId % 3, shallow);
    }

    /** A UNet whose down path holds the branch; a diffusion transformer has no skip branches. */
    public void check(Denoiser model) {
        if (!(model instanceof UNetDenoiser unet)) {
            throw new UserError("deepcache caches a UNet's skip branch; " + model.name() + " is a " + model.modelClass()
                    + ", which has none (for a diffusion transformer use first-block-cache)");
        }
        UNetGraph.checkBranch(unet.config(), branch(true));
    }

    /** Full steps of a loop of {@code steps}: every {@code cache_interval}-th from 0, or the non-uniform schedule. */
    public boolean[] fullSteps(int steps) {
        boolean[] full = new boolean[steps];
        if (cacheInterval == 1) {
            java.util.Arrays.fill(full, true);
        } else if (uniform) {
            for (int i = 0; i < steps; i += cacheInterval) full[i] = true;
        } else {
            for (int i : QuadCenter.schedule(steps, (steps + cacheInterval - 1) / cacheInterval, center, pow)) full[i] = true;
        }
        return full;
    }

    public StepPlan plan(Denoiser model, TokenMethod tokens, double[] timesteps) {
        return new Plan(tokens, timesteps, fullSteps(timesteps.length));
    }

    /** Full steps run the deep side and keep the feature; the others the shallow side on it. */
    private final class Plan implements StepPlan {
        private final TokenMethod tokens;
        private final boolean[] full;
        private final Map<StepGraph, Integer> graphs = new LinkedHashMap<>();

        Plan(TokenMethod tokens, double[] timesteps, boolean[] full) {
            this.tokens = tokens;
            this.full = full;
            for (int i = 0; i < timesteps.length; i++) graphs.merge(graph(i, timesteps[i]), 1, Integer::sum);
        }

        /** Every step full (interval 1) is the plain loop: the whole model, nothing kept. */
        private StepGraph graph(int step, double timestep) {
            if (cacheInterval == 1) return StepGraph.whole(tokens.patchAt(timestep));
            return new StepGraph(tokens.patchAt(timestep), branch(!full[step]));
        }

        public Map<StepGraph, Integer> graphs() {
            return graphs;
        }

        public void begin() {}

        public Outcome step(StepContext step) {
            StepGraph graph = graph(step.index(), step.timestep());
            if (full[step.index()]) {
                Map<String, org.attnbench.tensor.HostTensor> out = step.run(graph, Map.of());
                if (cacheInterval > 1) step.keep(KEPT, out.get(SkipBranch.FEATURE));
                return new Outcome(out.get(DenoiserIO.OUT_SAMPLE), StepKind.FULL, "");
            }
            var feature = step.kept(KEPT);
            if (feature == null) throw new IllegalStateException("DeepCache's first step must be full");
            return new Outcome(step.run(graph, Map.of(SkipBranch.FEATURE, feature)).get(DenoiserIO.OUT_SAMPLE),
                    StepKind.PARTIAL, "");
        }
    }

    private static DeepCache parse(SpecParams p) {
        int interval = p.positiveInt("cache_interval", 1, false);
        int branch = p.positiveInt("cache_branch_id", 0, true);
        boolean uniform = p.bool("uniform", true);
        if (uniform) return new DeepCache(interval, branch, true, 0, 0);
        String pow = p.string("pow", null);
        String center = p.string("center", null);
        if (pow == null || center == null) {
            throw new UserError("variant '" + p.spec() + "': uniform=false needs pow and center, the non-uniform schedule's"
                    + " (the reference's example: pow=1.4,center=15 at 50 steps)");
        }
        double pw;
        int c;
        try {
            pw = Double.parseDouble(pow);
        } catch (NumberFormatException e) {
            throw p.bad("pow", pow, "a number above 1");
        }
        try {
            c = Integer.parseInt(center);
        } catch (NumberFormatException e) {
            throw p.bad("center", center, "an integer >= 0");
        }
        if (!(pw > 1)) throw p.bad("pow", pow, "a number above 1");
        if (c < 0) throw p.bad("center", center, "an integer >= 0");
        return new DeepCache(interval, branch, false, pw, c);
    }

    /** The experimental pipeline's {@code sample_from_quad_center}, in its own arithmetic. */
    static final class QuadCenter {
        private QuadCenter() {}

        /**
         * The full steps of {@code total} steps: {@code n} of them, 0 first, the others where
         * {@code x^pow} lands for x spaced evenly from {@code (-center)^(1/pow)} to
         * {@code (total - center)^(1/pow)}, shifted by center. Python raises a negative base to a
         * fractional power as a complex number, so x is complex and numpy keeps the real part of
         * {@code x^pow}, truncated toward zero; where that gives other than n steps, pow drops by
         * 0.02 and it tries again (a UserError at pow <= 1, as the reference's ValueError).
         */
        static List<Integer> schedule(int total, int n, int center, double pow) {
            while (pow > 1) {
                double[][] x = linspace(power(-center, 1 / pow), power(total - center, 1 / pow), n + 1);
                java.util.TreeSet<Integer> idx = new java.util.TreeSet<>();
                for (double[] v : x) idx.add((int) power(v, pow)[0]);
                List<Integer> sorted = new ArrayList<>(idx);
                List<Integer> out = new ArrayList<>(List.of(0));
                for (int k = 1; k < sorted.size() - 1; k++) out.add(sorted.get(k) + center);
                if (out.size() == n) return out;
                pow -= 0.02;
            }
            throw new UserError("deepcache's non-uniform schedule finds no pow for " + n + " full steps of " + total
                    + " around center " + center + ": lower center or raise cache_interval");
        }

        /** A real number to a real power as Python does it: complex for a negative base. */
        private static double[] power(double base, double exponent) {
            if (base >= 0) return new double[] {Math.pow(base, exponent), 0};
            return power(new double[] {base, 0}, exponent);
        }

        /** A complex number to a real power, the principal value (as C's cpow: exp(p log z)). */
        private static double[] power(double[] z, double p) {
            if (z[0] == 0 && z[1] == 0) return new double[] {0, 0};
            double length = Math.exp(p * Math.log(Math.hypot(z[0], z[1])));
            double angle = p * Math.atan2(z[1], z[0]);
            return new double[] {length * Math.cos(angle), length * Math.sin(angle)};
        }

        /** numpy's linspace of complex numbers: start + k (stop - start) / (num - 1), the last one stop itself. */
        private static double[][] linspace(double[] start, double[] stop, int num) {
            double[][] out = new double[num][];
            double stepRe = (stop[0] - start[0]) / (num - 1), stepIm = (stop[1] - start[1]) / (num - 1);
            for (int k = 0; k < num; k++) out[k] = new double[] {k * stepRe + start[0], k * stepIm + start[1]};
            out[num - 1] = stop.clone();
            return out;
        }
    }
}
