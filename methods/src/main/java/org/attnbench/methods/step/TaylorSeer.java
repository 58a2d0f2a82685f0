package org.attnbench.methods.step;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
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
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.Half;
import org.attnbench.tensor.HostTensor;

/**
 * TaylorSeer (Liu et al., arXiv 2503.06923) as diffusers v0.40 defines it ({@code hooks/taylorseer_cache.py},
 * {@code TaylorSeerCacheConfig}): the hooked attention modules run on refresh steps, which update
 * each output's Taylor factors, and on the steps between are not run: their outputs are predicted
 * from the factors, out = sum_j F_j k^j / j!, k the steps since the last refresh.
 *
 * <p>Keys and defaults are the reference's: {@code cache_interval} (5), {@code disable_cache_before_step}
 * (3), {@code disable_cache_after_step} (none), {@code max_order} (1), {@code taylor_factors_dtype}
 * (bfloat16; float16, float32, float64), {@code skip_predict_identifiers} and {@code cache_identifiers}
 * (regular expressions full-matched against diffusers' module names; a list written as one
 * alternation; a module both match is inactive). Without {@code cache_identifiers}, the reference's patterns: {@code ^blocks.*attn},
 * {@code ^transformer_blocks.*attn}, {@code ^single_transformer_blocks.*attn},
 * {@code ^temporal_transformer_blocks.*attn}, which hook SD3's and Flux's attentions and nothing of
 * PixArt's ({@code attn1}, {@code attn2}) or a UNet's, whose loops are then the plain ones.
 *
 * <p>Step s (every hooked module is called once a step, so its call counter is the step) computes iff
 * s &lt; {@code disable_cache_before_step}, or (s - that - 1) mod {@code cache_interval} = 0, or s &ge;
 * {@code disable_cache_after_step}; otherwise it predicts. A computed step keeps, per output, F0 = the
 * output and F(j+1) = (Fj - Fj_old) / (s - s_old) while an older factor of order j exists, up to
 * {@code max_order}, every factor stored rounded to {@code taylor_factors_dtype} (to nearest even);
 * the real output is what the step uses. A module of {@code skip_predict_identifiers} runs on computed
 * steps and gives zeros on predicted ones. The factors are updated and the predictions summed on the
 * host, in float32 as the reference's (order 0 first, from zeros); only the modules' outputs cross.
 *
 * <p>Here the modules are the network's attention modules ({@link org.attnbench.models.diffusion.AttentionModule}):
 * an expression that full-matches another module the reference would hook (a feed-forward, a whole
 * block, a projection) is refused, and so is {@code use_lite_mode=true}, which caches {@code proj_out}
 * and skips whole blocks. What feeds only a module that is predicted is not computed either (the
 * reference computes it and throws it away).
 */
public record TaylorSeer(int cacheInterval, int disableCacheBeforeStep, int disableCacheAfterStep, int maxOrder,
        DType taylorFactorsDtype, String skipPredictIdentifiers, String cacheIdentifiers) implements StepMethod {
    public static final Methods.Entry METHOD = new Methods.Entry("taylorseer", "TaylorSeer", TaylorSeer::parse, TaylorSeer.class,
            List.of());
    /** {@code disable_cache_after_step} unset. */
    public static final int NEVER = -1;
    /** The reference's default {@code cache_identifiers}, as one alternation. */
    public static final String DEFAULT_IDENTIFIERS =
            "^blocks.*attn|^transformer_blocks.*attn|^single_transformer_blocks.*attn|^temporal_transformer_blocks.*attn";
    private static final List<String> DTYPES = List.of("bfloat16", "float16", "float32", "float64");
    private static final String KEPT = "taylorseer.";

    public TaylorSeer {
        if (cacheInterval < 1 || disableCacheBeforeStep < 0 || maxOrder < 0 || disableCacheAfterStep < NEVER) {
            throw new IllegalArgumentException("TaylorSeer needs cache_interval >= 1, disable_cache_before_step >= 0, max_order >= 0");
        }
    }

    public String family() {
        return METHOD.name();
    }

    public String canonical() {
        StringBuilder s = new StringBuilder("taylorseer:cache_interval=" + cacheInterval + ",disable_cache_before_step="
                + disableCacheBeforeStep + ",max_order=" + maxOrder);
        if (disableCacheAfterStep != NEVER) s.append(",disable_cache_after_step=").append(disableCacheAfterStep);
        if (taylorFactorsDtype != DType.BFLOAT16) s.append(",taylor_factors_dtype=").append(dtypeName(taylorFactorsDtype));
        if (skipPredictIdentifiers != null) s.append(",skip_predict_identifiers=").append(skipPredictIdentifiers);
        if (cacheIdentifiers != null) s.append(",cache_identifiers=").append(cacheIdentifiers);
        return s.toString();
    }

    /** "TaylorSeer N=5 o=1". */
    public String label() {
        return "TaylorSeer N=" + cacheInterval + " o=" + maxOrder;
    }

    /** Whether step s runs the hooked modules (else it predicts them). */
    public boolean computes(int s) {
        return s < disableCacheBeforeStep || Math.floorMod(s - disableCacheBeforeStep - 1, cacheInterval) == 0
                || (disableCacheAfterStep != NEVER && s >= disableCacheAfterStep);
    }

    /** The hooked modules: the network's attentions whose names full-match an expression, each with whether it is inactive. */
    public Map<String, Boolean> hooked(Denoiser model) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String m : HookedModules.attentions(model).keySet()) {
            boolean inactive = skipPredictIdentifiers != null && HookedModules.fullMatch(skipPredictIdentifiers, m);
            if (inactive || HookedModules.fullMatch(active(), m)) out.put(m, inactive);
        }
        return out;
    }

    /** {@code cache_identifiers}, else the reference's defaults (even beside {@code skip_predict_identifiers}, as its code does). */
    private String active() {
        return cacheIdentifiers != null ? cacheIdentifiers : DEFAULT_IDENTIFIERS;
    }

    /** A network that carries attention outputs, and expressions that hook only its attentions. */
    public void check(Denoiser model) {
        HookedModules.checkOffered("taylorseer", model);
        Set<String> attentions = HookedModules.attentions(model).keySet();
        for (String name : HookedModules.moduleNames(model)) {
            boolean hooks = HookedModules.fullMatch(active(), name)
                    || (skipPredictIdentifiers != null && HookedModules.fullMatch(skipPredictIdentifiers, name));
            if (hooks && !attentions.contains(name)) {
                throw new UserError("taylorseer on " + model.name() + ": the identifiers match module '" + name + "', which is not"
                        + " an attention module; attnbench carries attention outputs only (e.g. " + attentions.iterator().next()
                        + "): narrow cache_identifiers / skip_predict_identifiers");
            }
        }
    }

    public StepPlan plan(Denoiser model, TokenMethod tokens, double[] timesteps) {
        return new Plan(tokens, timesteps, hooked(model));
    }

    /** Computed steps run the whole model (giving the hooked outputs where a later step predicts); the others take predictions. */
    private final class Plan implements StepPlan {
        private final TokenMethod tokens;
        private final SortedSet<String> hooked;
        private final Set<String> inactive = new TreeSet<>();
        private final boolean[] compute;
        private final boolean[] keep;
        private final Map<StepGraph, Integer> graphs = new LinkedHashMap<>();
        /** Per output tensor of an active module: its shape; of an inactive one: its shape, for zeros. */
        private final Map<String, long[]> shapes = new LinkedHashMap<>();
        private int lastUpdate;
        private int orders;

        Plan(TokenMethod tokens, double[] timesteps, Map<String, Boolean> hooked) {
            this.tokens = tokens;
            this.hooked = new TreeSet<>(hooked.keySet());
            hooked.forEach((m, off) -> {
                if (off) inactive.add(m);
            });
            int n = timesteps.length;
            compute = new boolean[n];
            keep = new boolean[n];
            boolean later = false;
            for (int i = n - 1; i >= 0; i--) {
                compute[i] = this.hooked.isEmpty() || computes(i);
                keep[i] = compute[i] && later;
                later |= !compute[i];
            }
            for (int i = 0; i < n; i++) graphs.merge(graph(i, timesteps[i]), 1, Integer::sum);
        }

        private StepGraph graph(int i, double timestep) {
            var patch = tokens.patchAt(timestep);
            if (!compute[i]) return new StepGraph(patch, new ModuleOutputs(Set.of(), hooked));
            return keep[i] ? new StepGraph(patch, new ModuleOutputs(hooked, Set.of())) : StepGraph.whole(patch);
        }

        public Map<StepGraph, Integer> graphs() {
            return graphs;
        }

        public void begin() {
            lastUpdate = -1;
            orders = 0;
            shapes.clear();
        }

        public Outcome step(StepContext step) {
            int i = step.index();
            StepGraph graph = graph(i, step.timestep());
            if (compute[i]) {
                Map<String, HostTensor> out = step.run(graph, Map.of());
                if (keep[i]) update(step, HookedModules.outputs(out), i);
                return new Outcome(out.get(DenoiserIO.OUT_SAMPLE), StepKind.FULL, hooked.isEmpty() ? "" : "computed " + hooked.size());
            }
            if (lastUpdate < 0) throw new IllegalStateException("TaylorSeer predicts step " + i + " before any computed step");
            int k = i - lastUpdate;
            Map<String, HostTensor> out = step.run(graph, predict(step, k));
            return new Outcome(out.get(DenoiserIO.OUT_SAMPLE), StepKind.PARTIAL,
                    String.format(Locale.ROOT, "predicted %d, k=%d, order %d", hooked.size(), k, orders - 1));
        }

        /** The reference's update, for every output of the hooked modules: the older factors are read before any is replaced. */
        private void update(StepContext step, Map<String, HostTensor> outputs, int i) {
            int delta = i - lastUpdate;
            int stored = Math.min(orders + 1, maxOrder + 1);
            for (Map.Entry<String, HostTensor> e : outputs.entrySet()) {
                String tensor = e.getKey();
                long[] shape = e.getValue().shape();
                shapes.put(tensor, shape);
                if (inactive.contains(HookedModules.moduleOf(tensor))) continue;
                List<float[]> old = new ArrayList<>();
                for (int j = 0; j + 1 < stored; j++) old.add(step.kept(key(tensor, j)).toFloats());
                float[] factor = e.getValue().toFloats();
                step.keep(key(tensor, 0), store(factor, shape));
                for (int j = 0; j + 1 < stored; j++) {
                    float[] previous = old.get(j), next = new float[factor.length];
                    for (int x = 0; x < next.length; x++) next[x] = (factor[x] - previous[x]) / delta;
                    step.keep(key(tensor, j + 1), store(next, shape));
                    factor = next;
                }
            }
            orders = stored;
            lastUpdate = i;
        }

        /** Every hooked output at offset k: sum_j F_j k^j / j!, or zeros for an inactive module. */
        private Map<String, HostTensor> predict(StepContext step, int k) {
            Map<String, HostTensor> out = new LinkedHashMap<>();
            shapes.forEach((tensor, shape) -> {
                float[] sum = new float[Math.toIntExact(HostTensor.numel(shape))];
                if (!inactive.contains(HookedModules.moduleOf(tensor))) {
                    double factorial = 1;
                    for (int j = 0; j < orders; j++) {
                        if (j > 0) factorial *= j;
                        float coeff = (float) (Math.pow(k, j) / factorial);
                        float[] f = step.kept(key(tensor, j)).toFloats();
                        for (int x = 0; x < sum.length; x++) sum[x] = sum[x] + f[x] * coeff;
                    }
                }
                out.put(tensor, HostTensor.of(sum, shape));
            });
            return out;
        }
    }

    private static String key(String tensor, int order) {
        return KEPT + tensor + ".F" + order;
    }

    /** The factor as {@code taylor_factors_dtype} holds it, rounded to nearest even. */
    private HostTensor store(float[] v, long[] shape) {
        switch (taylorFactorsDtype) {
            case FLOAT32:
                return HostTensor.of(v, shape);
            case FLOAT64: {
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) d[i] = v[i];
                return HostTensor.of(d, shape);
            }
            default: {
                HostTensor t = HostTensor.allocate(taylorFactorsDtype, shape);
                ByteBuffer b = t.mutableData();
                boolean bf16 = taylorFactorsDtype == DType.BFLOAT16;
                for (int i = 0; i < v.length; i++) b.putShort(i * 2, bf16 ? Half.toBfloat16(v[i]) : Half.fromFloat(v[i]));
                return t;
            }
        }
    }

    private static String dtypeName(DType d) {
        return switch (d) {
            case BFLOAT16 -> "bfloat16";
            case FLOAT16 -> "float16";
            case FLOAT64 -> "float64";
            default -> "float32";
        };
    }

    private static TaylorSeer parse(SpecParams p) {
        int interval = p.positiveInt("cache_interval", 5, false);
        int before = p.positiveInt("disable_cache_before_step", 3, true);
        String afterText = p.string("disable_cache_after_step", null);
        int after = NEVER;
        if (afterText != null && !afterText.equalsIgnoreCase("none")) after = p.positiveInt("disable_cache_after_step", 0, true);
        int order = p.positiveInt("max_order", 1, true);
        String dtype = p.choice("taylor_factors_dtype", "bfloat16", DTYPES);
        String skip = p.string("skip_predict_identifiers", null);
        String cache = p.string("cache_identifiers", null);
        if (skip != null) HookedModules.pattern(p, "skip_predict_identifiers", skip);
        if (cache != null) HookedModules.pattern(p, "cache_identifiers", cache);
        if (p.bool("use_lite_mode", false)) {
            throw p.bad("use_lite_mode", "true", "false: lite mode caches proj_out and skips whole blocks, and attnbench's"
                    + " graphs carry attention outputs only");
        }
        TaylorSeer t = new TaylorSeer(interval, before, after, order, DType.parse(dtype), skip, cache);
        if (!t.computes(0)) {
            throw new UserError("variant '" + p.spec() + "': disable_cache_before_step=0 predicts step 0 from nothing (the"
                    + " reference raises there); use disable_cache_before_step >= 1 or cache_interval=1");
        }
        return t;
    }
}
