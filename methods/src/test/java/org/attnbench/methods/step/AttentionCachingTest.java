package org.attnbench.methods.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.methods.StepContext;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.Variant;
import org.attnbench.methods.token.Dense;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm;
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.Half;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TaylorSeer's and pyramid attention broadcast's specs, schedules, hooked modules and TaylorSeer's arithmetic. */
class AttentionCachingTest {
    private static final double[] DDIM_8 = {876, 751, 626, 501, 376, 251, 126, 1};
    private static final Dense DENSE = new Dense(Kernel.MATMUL);

    @Test
    void taylorSeerReadsTheReferencesKeysWithItsDefaults() {
        TaylorSeer t = assertInstanceOf(TaylorSeer.class, Variant.parse("taylorseer").steps());
        assertEquals(new TaylorSeer(5, 3, TaylorSeer.NEVER, 1, DType.BFLOAT16, null, null), t);
        assertEquals("taylorseer:cache_interval=5,disable_cache_before_step=3,max_order=1", t.canonical());
        assertEquals("TaylorSeer N=5 o=1", t.label());
        Variant v = Variant.parse("taylorseer:cache_interval=3,disable_cache_before_step=1,max_order=2,taylor_factors_dtype=float32,"
                + "cache_identifiers=transformer_blocks\\.\\d+\\.attn[12],disable_cache_after_step=6");
        assertEquals(v, Variant.parse(v.canonical()));
        assertEquals("transformer_blocks\\.\\d+\\.attn[12]", ((TaylorSeer) v.steps()).cacheIdentifiers(), "a '+' of the expression stays");
        assertEquals("transformer_blocks\\.\\d+\\.attn[12]", v.params().get("cache_identifiers"));
        Variant stacked = Variant.parse("todo:factor=2+taylorseer:cache_identifiers=.*attn\\d+");
        assertEquals("todo+taylorseer", stacked.family());
        assertEquals(".*attn\\d+", ((TaylorSeer) stacked.steps()).cacheIdentifiers());
    }

    /** With the defaults: steps 0, 1, 2 compute, 3 predicts, 4 computes, 5..8 predict, 9 computes. */
    @Test
    void taylorSeerRefreshesAfterItsWarmUpEveryInterval() {
        TaylorSeer t = new TaylorSeer(5, 3, TaylorSeer.NEVER, 1, DType.BFLOAT16, null, null);
        List<Boolean> got = new ArrayList<>();
        for (int s = 0; s < 11; s++) got.add(t.computes(s));
        assertEquals(List.of(true, true, true, false, true, false, false, false, false, true, false), got);
        TaylorSeer after = new TaylorSeer(5, 3, 6, 1, DType.BFLOAT16, null, null);
        assertTrue(after.computes(6) && after.computes(7) && !after.computes(5));
        TaylorSeer every = new TaylorSeer(1, 0, TaylorSeer.NEVER, 1, DType.FLOAT32, null, null);
        assertTrue(every.computes(0) && every.computes(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "taylorseer:disable_cache_before_step=0     | predicts step 0 from nothing",
        "taylorseer:cache_interval=0                | cache_interval=0 is invalid",
        "taylorseer:taylor_factors_dtype=int8       | taylor_factors_dtype=int8 is invalid; use one of bfloat16, float16, float32, float64",
        "taylorseer:use_lite_mode=true              | use_lite_mode=true is invalid",
        "taylorseer:cache_identifiers=attn[         | cache_identifiers=attn[ is invalid; use a regular expression",
        "pab:spatial_attention_block_skip_range=0   | spatial_attention_block_skip_range=0 is invalid",
        "pab:cross_attention_timestep_skip_range=9  | cross_attention_timestep_skip_range=9 is invalid; use two timesteps LOW..HIGH",
        "pab:spatial_attention_timestep_skip_range=800..100 | LOW below HIGH",
        "pab:current_timestep_callback=x            | unknown key 'current_timestep_callback'",
    })
    void badSpecsNameTheProblem(String spec, String expected) {
        UserError e = assertThrows(UserError.class, () -> Variant.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** The reference's default patterns hook SD3's and Flux's attentions, nothing of PixArt's or a UNet's. */
    @ParameterizedTest
    @CsvSource({"sd3-tiny,transformer_blocks.0.attn", "flux-tiny,single_transformer_blocks.0.attn", "pixart-tiny,", "tiny,"})
    void taylorSeersDefaultPatternsHookWhatTheReferencesDo(String model, String hooked) {
        Denoiser m = Denoiser.load(model);
        TaylorSeer t = (TaylorSeer) Variant.parse("taylorseer").steps();
        t.check(m);
        Map<String, Boolean> got = t.hooked(m);
        if (hooked == null) {
            assertTrue(got.isEmpty(), got.toString());
            StepPlan plan = Variant.parse("taylorseer").plan(m, DDIM_8);
            assertEquals(List.of(GraphForm.WHOLE), plan.graphList().stream().map(StepGraph::form).distinct().toList());
        } else {
            assertTrue(got.containsKey(hooked) && got.keySet().stream().allMatch(n -> n.endsWith(".attn")), got.toString());
        }
    }

    @Test
    void taylorSeerRefusesAnExpressionThatMatchesOtherModules() {
        UserError e = assertThrows(UserError.class,
                () -> Variant.parse("taylorseer:cache_identifiers=transformer_blocks\\.0\\..*").check(Denoiser.load("pixart-tiny")));
        assertTrue(e.getMessage().contains("'transformer_blocks.0.attn1.to_k', which is not an attention module"), e.getMessage());
        assertThrows(UserError.class, () -> Variant.parse("taylorseer:cache_identifiers=.*").check(Denoiser.load("pixart-tiny")));
        Variant.parse("taylorseer:skip_predict_identifiers=.*attn2,cache_identifiers=.*attn1").check(Denoiser.load("pixart-tiny"));
    }

    /**
     * The factors and predictions against the definition in float64: module outputs quadratic in
     * the step, second order, float32 factors; with cache_interval 3 after 2 warm-up steps, steps
     * 0, 1, 3, 6 compute and 2, 4, 5, 7 predict. An inactive module gives zeros of its shape.
     */
    @Test
    void taylorSeerPredictsFromDividedDifferencesOverTheStepGap() {
        TaylorSeer t = (TaylorSeer) Variant.parse("taylorseer:cache_interval=3,disable_cache_before_step=2,max_order=2,"
                + "taylor_factors_dtype=float32,cache_identifiers=transformer_blocks\\.0\\.attn1,"
                + "skip_predict_identifiers=transformer_blocks\\.1\\.attn2").steps();
        Fake run = new Fake();
        StepPlan plan = t.plan(Denoiser.load("pixart-tiny"), DENSE, DDIM_8);
        plan.begin();
        List<StepPlan.StepKind> kinds = new ArrayList<>();
        for (int s = 0; s < 8; s++) kinds.add(plan.step(run.at(s)).kind());
        var F = StepPlan.StepKind.FULL;
        var P = StepPlan.StepKind.PARTIAL;
        assertEquals(List.of(F, F, P, F, P, P, F, P), kinds);
        String active = ModuleOutputs.tensor("transformer_blocks.0.attn1", 0), inactive = ModuleOutputs.tensor("transformer_blocks.1.attn2", 0);
        List<Integer> refreshes = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            if (kinds.get(s) == F) {
                refreshes.add(s);
                continue;
            }
            float[] got = run.given.get(s).get(active).toFloats();
            for (int x = 0; x < got.length; x++) {
                double expected = definition(x, refreshes, 2, s);
                assertEquals(expected, got[x], 1e-5 * Math.max(1, Math.abs(expected)), "step " + s + " value " + x);
            }
            for (float z : run.given.get(s).get(inactive).toFloats()) assertEquals(0f, z);
        }
    }

    /**
     * The definition, in float64: at each refresh r, F0 = f(r) and F(j+1) = (Fj - Fj_old) / (r - r_old)
     * while an older Fj exists, up to the order; at step s, sum_j Fj k^j / j!, k = s - the last refresh.
     */
    private static double definition(int x, List<Integer> refreshes, int order, int s) {
        List<Double> factors = new ArrayList<>();
        int last = -1;
        for (int r : refreshes) {
            List<Double> next = new ArrayList<>(List.of(Fake.value(x, r)));
            for (int j = 0; j < order && j < factors.size(); j++) next.add((next.get(j) - factors.get(j)) / (r - last));
            factors = next;
            last = r;
        }
        double sum = 0, factorial = 1;
        for (int j = 0; j < factors.size(); j++) {
            if (j > 0) factorial *= j;
            sum += factors.get(j) * Math.pow(s - last, j) / factorial;
        }
        return sum;
    }

    /** bfloat16 factors: a prediction from one refresh is the last output rounded to bfloat16, to nearest even. */
    @Test
    void bfloat16FactorsAreStoredRoundedToNearestEven() {
        Denoiser pixart = Denoiser.load("pixart-tiny");
        TaylorSeer t = (TaylorSeer) Variant.parse("taylorseer:cache_interval=2,disable_cache_before_step=1,cache_identifiers=.*\\.0\\.attn1")
                .steps();
        Fake run = new Fake();
        StepPlan plan = t.plan(pixart, DENSE, DDIM_8);
        plan.begin();
        plan.step(run.at(0));
        assertEquals(StepPlan.StepKind.PARTIAL, plan.step(run.at(1)).kind());
        float[] got = run.given.get(1).get(ModuleOutputs.tensor("transformer_blocks.0.attn1", 0)).toFloats();
        for (int x = 0; x < got.length; x++) {
            float out = (float) Fake.value(x, 0);
            assertEquals(Float.intBitsToFloat((Half.toBfloat16(out) & 0xffff) << 16), got[x]);
        }
        assertTrue(run.keptBytes() < 4L * got.length, "bfloat16 factors take two bytes a value");
    }

    @Test
    void pabReadsTheReferencesKeysWithItsDefaults() {
        PyramidAttentionBroadcast p = (PyramidAttentionBroadcast) Variant.parse("pab").steps();
        assertEquals("pab:spatial_attention_block_skip_range=2", p.canonical(), "the reference's fallback when no range is set");
        Variant v = Variant.parse("pab:spatial_attention_block_skip_range=3,spatial_attention_timestep_skip_range=200..900,"
                + "cross_attention_block_skip_range=4,cross_attention_block_identifiers=attn2");
        assertEquals("pab:spatial_attention_block_skip_range=3,spatial_attention_timestep_skip_range=200..900,"
                + "cross_attention_block_skip_range=4,cross_attention_block_identifiers=attn2", v.canonical());
        assertEquals("PAB s=3 c=4", v.label());
        assertEquals(v, Variant.parse(v.canonical()));
    }

    /** Spatial and cross told apart by is_cross_attention; the phase set by step 0 and the open timestep range. */
    @ParameterizedTest
    @CsvSource({"tiny", "pixart-tiny"})
    void pabReusesEachKindOnItsOwnScheduleInsideItsRange(String model) {
        Denoiser m = Denoiser.load(model);
        PyramidAttentionBroadcast p = (PyramidAttentionBroadcast) Variant.parse(
                "pab:spatial_attention_block_skip_range=2,cross_attention_block_skip_range=3").steps();
        Map<String, PyramidAttentionBroadcast.Kind> hooked = p.hooked(m);
        assertEquals(m.attentionModules().size(), hooked.size(), "every attention: " + hooked.keySet());
        hooked.forEach((name, kind) -> assertEquals(name.endsWith("attn2") ? p.cross() : p.spatial(), kind, name));
        StepPlan plan = Variant.parse(p.canonical()).plan(m, DDIM_8);
        Fake run = new Fake();
        plan.begin();
        List<String> got = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            StepPlan.Outcome o = plan.step(run.at(s));
            long spatial = run.given.get(s).keySet().stream().filter(n -> !n.contains("attn2")).count();
            long cross = run.given.get(s).keySet().size() - spatial;
            got.add(o.kind().name().charAt(0) + "" + (spatial > 0 ? "s" : "") + (cross > 0 ? "c" : ""));
        }
        // spatial every 2nd, cross every 3rd call inside 100 < t < 800 (751 .. 126); 876 and 1 outside
        assertEquals(List.of("F", "Psc", "Pc", "Ps", "Pc", "Psc", "F", "F"), got);
    }

    /** A stand-in loop: module outputs f(x, s) = sin(x) + 0.3 s cos(x) - 0.05 s^2 for what a graph keeps; records what it is given. */
    private static final class Fake {
        final Map<Integer, Map<String, HostTensor>> given = new HashMap<>();
        private final Map<String, HostTensor> kept = new LinkedHashMap<>();

        static double value(int x, int s) {
            return Math.sin(x) + 0.3 * s * Math.cos(x) - 0.05 * s * s;
        }

        long keptBytes() {
            return kept.values().stream().mapToLong(HostTensor::byteSize).sum();
        }

        StepContext at(int s) {
            return new StepContext() {
                public int index() {
                    return s;
                }

                public double timestep() {
                    return DDIM_8[s];
                }

                public Map<String, HostTensor> run(StepGraph graph, Map<String, HostTensor> extra) {
                    given.put(s, new LinkedHashMap<>(extra));
                    Map<String, HostTensor> out = new LinkedHashMap<>();
                    out.put(DenoiserIO.OUT_SAMPLE, HostTensor.of(new float[1], 1));
                    if (graph.form() instanceof ModuleOutputs m) {
                        for (String module : m.kept()) {
                            float[] v = new float[64];
                            for (int x = 0; x < v.length; x++) v[x] = (float) value(x, s);
                            out.put(ModuleOutputs.tensor(module, 0), HostTensor.of(v, 1, 8, 8));
                        }
                    }
                    return out;
                }

                public void keep(String name, HostTensor tensor) {
                    kept.put(name, tensor);
                }

                public HostTensor kept(String name) {
                    return kept.get(name);
                }
            };
        }
    }
}
