package org.attnbench.methods.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.methods.StepGraph;
import org.attnbench.methods.StepPlan;
import org.attnbench.methods.Variant;
import org.attnbench.methods.token.Todo;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cross-step methods' specs, schedules, stacking and where they apply. */
class CrossStepMethodsTest {
    private static final double[] DDIM_8 = {876, 751, 626, 501, 376, 251, 126, 1};

    @Test
    void deepCacheReadsTheHelpersKeysWithItsDefaults() {
        DeepCache d = assertInstanceOf(DeepCache.class, Variant.parse("deepcache").steps());
        assertEquals(1, d.cacheInterval());
        assertEquals(0, d.cacheBranchId());
        Variant v = Variant.parse("deepcache:cache_interval=3,cache_branch_id=4");
        assertEquals("deepcache:cache_interval=3,cache_branch_id=4", v.canonical());
        assertEquals("deepcache", v.family());
        assertEquals("DeepCache N=3 b=4", v.label());
        assertEquals(new GraphForm.SkipBranch(1, 1, true), ((DeepCache) v.steps()).branch(true));
        assertEquals(v, Variant.parse(v.canonical()));
        assertEquals(Map.of("cache_interval", "3", "cache_branch_id", "4"), v.params());
    }

    @Test
    void theUniformScheduleIsFullEveryIntervalFromTheFirstStep() {
        assertEquals(List.of(true, false, false, true, false, false, true, false), list(new DeepCache(3, 0, true, 0, 0).fullSteps(8)));
        assertEquals(List.of(true, true, true), list(new DeepCache(1, 0, true, 0, 0).fullSteps(3)));
    }

    /** The experimental pipeline's sample_from_quad_center, on the golden case's and on the repository's example. */
    @Test
    void theNonUniformScheduleIsTheExperimentalPipelines() {
        assertEquals(List.of(0, 3, 4), DeepCache.QuadCenter.schedule(8, 3, 3, 1.4));
        assertEquals(List.of(0, 5, 9, 13, 17, 21, 26, 31, 37, 43), DeepCache.QuadCenter.schedule(50, 10, 15, 1.4));
        DeepCache d = (DeepCache) Variant.parse("deepcache:cache_interval=3,cache_branch_id=1,uniform=false,pow=1.4,center=3").steps();
        assertEquals(List.of(true, false, false, true, true, false, false, false), list(d.fullSteps(8)));
        assertEquals("deepcache:cache_interval=3,cache_branch_id=1,uniform=false,pow=1.4,center=3", d.canonical());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "deepcache:cache_interval=0                 | cache_interval=0 is invalid; use an integer >= 1",
        "deepcache:uniform=false                    | uniform=false needs pow and center",
        "deepcache:uniform=false,pow=1,center=3     | pow=1 is invalid; use a number above 1",
        "deepcache:cache_branch=1                   | unknown key 'cache_branch'",
        "first-block-cache:threshold=-1             | threshold=-1 is invalid",
        "todo:factor=2+tome:ratio=0.5               | two token methods (todo, tome)",
        "deepcache+first-block-cache                | two cross-step methods (deepcache, first-block-cache)",
        "todo+                                      | an empty method around '+'",
    })
    void badSpecsNameTheProblem(String spec, String expected) {
        UserError e = assertThrows(UserError.class, () -> Variant.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aTokenMethodStacksWithACrossStepMethodInEitherOrder() {
        Variant v = Variant.parse("todo:factor=2+deepcache:cache_interval=3");
        assertInstanceOf(Todo.class, v.tokens());
        assertEquals("todo:factor=2,method=nearest-exact+deepcache:cache_interval=3,cache_branch_id=0", v.canonical());
        assertEquals(v, Variant.parse("deepcache:cache_interval=3+todo:factor=2"));
        assertEquals("todo+deepcache", v.family());
        assertEquals("ToDo f=2 + DeepCache N=3", v.label());
        assertEquals("2", v.params().get("factor"));
        assertEquals("3", v.params().get("cache_interval"));
        assertEquals("dense:kernel=fused+first-block-cache:threshold=0.1",
                Variant.parse("first-block-cache:threshold=0.1+dense:kernel=fused").canonical());
        assertEquals("FBCache t=0.1 [fused]", Variant.parse("first-block-cache:threshold=0.1+dense:kernel=fused").label());
    }

    /** ToDo's phase follows the timestep in every graph DeepCache asks for: full and partial steps of each phase. */
    @Test
    void aStackedPlanDeclaresEveryGraphItRuns() {
        Denoiser tiny = Denoiser.load("tiny");
        StepPlan plan = Variant.parse("todo:factor=2+deepcache:cache_interval=3").plan(tiny, DDIM_8);
        Map<StepGraph, Integer> graphs = plan.graphs();
        assertEquals(8, graphs.values().stream().mapToInt(Integer::intValue).sum());
        // downsampling above t = 200: full at 876, 501; partial at 751, 626, 376, 251; the similarity merge below: full 126, partial 1
        assertEquals(List.of(2, 4, 1, 1), List.copyOf(graphs.values()));
        assertTrue(graphs.keySet().stream().allMatch(g -> g.form() instanceof GraphForm.SkipBranch));
        StepPlan fbc = Variant.parse("first-block-cache:threshold=0.2").plan(Denoiser.load("pixart-tiny"), DDIM_8);
        assertEquals(List.of(8, 8, 7), List.copyOf(fbc.graphs().values()), "head and tail at most every step, the cached tail after the first");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "first-block-cache          | sd3-tiny     | does not apply to sd3-tiny (SD3Transformer2DModel): diffusers 0.40's hook fails",
        "first-block-cache          | tiny         | does not apply to tiny (a UNet has no transformer block list",
        "deepcache                  | pixart-tiny  | deepcache caches a UNet's skip branch; pixart-tiny is a PixArtTransformer2DModel",
        "deepcache:cache_branch_id=9 | tiny        | skip branch at down block 3, layer 0 is not in tiny",
    })
    void aMethodRefusesAModelItDoesNotApplyTo(String spec, String model, String expected) {
        UserError e = assertThrows(UserError.class, () -> Variant.parse(spec).check(Denoiser.load(model)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theFirstBlockStatisticIsTheMeanAbsoluteChangeOverTheMeanAbsolutePrevious() {
        assertEquals(0.5, FirstBlockCache.statistic(new float[] {1, -1, 3}, new float[] {2, -2, 2}), 1e-12);
        assertEquals(0, FirstBlockCache.statistic(new float[] {1, 2}, new float[] {1, 2}));
        assertEquals(0.05, ((FirstBlockCache) Variant.parse("first-block-cache").steps()).threshold(), "diffusers' default");
    }

    private static List<Boolean> list(boolean[] b) {
        Boolean[] out = new Boolean[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i];
        return List.of(out);
    }
}
