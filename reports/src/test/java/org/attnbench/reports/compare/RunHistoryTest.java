package org.attnbench.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;

/** Timed values against a baseline of several runs: the spread between runs decides, not the samples inside one. */
class RunHistoryTest {
    static final GateSettings SETTINGS = new GateSettings(1.10, 0.01, Map.of(), false, 4.0);

    /** One run: a GEMM ceiling, fused dense and ToDo, each sample equal to its median times a small wobble. */
    static List<ResultRow> run(double gemm, double dense, double todo) {
        return List.of(cell("gemm", WorkloadKind.CEILING, "gemm", null, gemm),
                cell("dense", WorkloadKind.ATTENTION, "a", null, dense),
                cell("todo", WorkloadKind.ATTENTION, "a", "dense", todo));
    }

    static ResultRow cell(String id, WorkloadKind kind, String model, String ref, double median) {
        CellInfo info = new CellInfo(id, "onnxruntime", "cpu", "float32", kind, model, "64x64", 512, 4096, 320, 8, 1, 0, id,
                id, "fused", ref);
        double[] ms = {median * 0.97, median, median * 1.03, median * 0.99, median * 1.01};
        Timing t = new Timing("forward", Arrays.stream(ms).boxed().toList(), median, median, 1, median, median, median,
                median, median, 1, Double.NaN, Double.NaN, Double.NaN);
        return new ResultRow(info, CellStatus.OK, null, t, null, null, null, null, Map.of(), Map.of(), "t0", "t1");
    }

    /** Five baseline runs on a machine whose speed drifts by up to 30% while the ratios move by about 2%. */
    static List<List<ResultRow>> baseline() {
        double[][] runs = {{100, 200, 50}, {130, 262, 66}, {110, 218, 55.5}, {120, 243, 60}, {105, 209, 52}};
        List<List<ResultRow>> out = new ArrayList<>();
        for (double[] r : runs) out.add(run(r[0], r[1], r[2]));
        return out;
    }

    static MetricChange find(RunComparison c, String cell, String metric) {
        return c.changes().stream().filter(m -> m.cellId().equals(cell) && m.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric + " for " + cell + " in\n" + c.toText()));
    }

    @Test
    void aRunOnASlowerMachinePasses() {
        RunComparison c = RunComparison.ofHistory(baseline(), run(180, 362, 91), SETTINGS);
        assertTrue(c.byHistory());
        assertTrue(c.regressions().isEmpty(), c.toText());
        assertEquals(Mark.SAME, find(c, "todo", "speedup").mark());
        assertEquals(Mark.SAME, find(c, "dense", "time_per_gemm").mark());
        assertTrue(c.toText().contains("against 5 baseline runs"), c.toText());
    }

    @Test
    void aVariantTwentyFivePercentSlowerFails() {
        RunComparison c = RunComparison.ofHistory(baseline(), run(110, 220, 55 * 1.25), SETTINGS);
        MetricChange s = find(c, "todo", "speedup");
        assertEquals(Mark.WORSE, s.mark(), c.toText());
        assertTrue(s.threshold() >= 1.10 && s.threshold() < 1.25, "limit " + s.threshold());
        assertEquals(List.of(s), c.regressions());
    }

    @Test
    void everyCellSlowerAlikeFailsThroughTheGemm() {
        // Speedups cannot see it; the reference's time over the GEMM of the same run can.
        RunComparison c = RunComparison.ofHistory(baseline(), run(110, 220 * 1.3, 55 * 1.3), SETTINGS);
        assertEquals(Mark.SAME, find(c, "todo", "speedup").mark(), c.toText());
        assertEquals(Mark.WORSE, find(c, "dense", "time_per_gemm").mark(), c.toText());
    }

    @Test
    void aNoisyValueGetsAWiderLimit() {
        double[][] runs = {{100, 200, 50}, {100, 200, 65}, {100, 200, 45}, {100, 200, 60}, {100, 200, 50}};
        List<List<ResultRow>> noisy = new ArrayList<>();
        for (double[] r : runs) noisy.add(run(r[0], r[1], r[2]));
        MetricChange s = find(RunComparison.ofHistory(noisy, run(100, 200, 62.5), SETTINGS), "todo", "speedup");
        assertEquals(Mark.SAME, s.mark());
        assertTrue(s.threshold() > 1.5, "limit " + s.threshold());
    }

    @Test
    void interleavedRoundsArePaired() {
        // The machine's speed changes from round to round; ToDo takes half of dense's time in every round.
        double[] dense = {100, 180, 90, 150, 120, 200, 95};
        double[] todo = Arrays.stream(dense).map(v -> v / 2).toArray();
        todo[0] = todo[2] = todo[6] = 150; // three rounds where only ToDo was disturbed
        Map<String, ResultRow> run = Map.of("dense", samples("dense", null, dense), "todo", samples("todo", "dense", todo));
        assertEquals(2.0, RunComparison.timedValue("speedup", "todo", run, true), 1e-12);
        assertEquals(120.0 / 100, RunComparison.timedValue("speedup", "todo", run, false), 1e-12);
        double[] shorter = Arrays.copyOf(todo, 6);
        Map<String, ResultRow> unequal = Map.of("dense", samples("dense", null, dense), "todo", samples("todo", "dense", shorter));
        assertEquals(120.0 / new org.attnbench.metrics.timing.Samples(shorter).median(),
                RunComparison.timedValue("speedup", "todo", unequal, true), 1e-12, "unequal counts are not paired");
    }

    static ResultRow samples(String id, String ref, double... ms) {
        CellInfo info = new CellInfo(id, "onnxruntime", "cpu", "float32", WorkloadKind.ATTENTION, "a", "64x64", 512, 4096, 320,
                8, 1, 0, id, id, "fused", ref);
        Timing t = new Timing("forward", Arrays.stream(ms).boxed().toList(), 0, 0, 1, 0, 0, 0, 0, 0, 1, Double.NaN,
                Double.NaN, Double.NaN);
        return new ResultRow(info, CellStatus.OK, null, t, null, null, null, null, Map.of(), Map.of(), "t0", "t1");
    }

    @Test
    void fewerThanThreeRunsKeepTheMannWhitneyRule() {
        RunComparison c = RunComparison.ofHistory(baseline().subList(0, 2), run(110, 220, 55), SETTINGS);
        assertFalse(c.byHistory());
        assertTrue(Double.isNaN(find(c, "todo", "speedup").threshold()));
        assertTrue(c.changes().stream().noneMatch(m -> m.metric().equals("time_per_gemm")), c.toText());
    }

    /**
     * One run of ToDo on three backends, each cell's speedup off by its own noise (fractions of the
     * true speedup 2 per backend), ToDo's times divided by {@code slower}.
     */
    static List<ResultRow> threeBackends(double[] noise, double slower) {
        List<ResultRow> rows = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            String backend = "backend" + b;
            rows.add(variantCell(backend, "dense", null, 100));
            rows.add(variantCell(backend, "todo", backend + "|dense", 50 * slower / noise[b]));
        }
        return rows;
    }

    static ResultRow variantCell(String backend, String variant, String ref, double median) {
        CellInfo info = new CellInfo(backend + "|" + variant, backend, "cpu", "float32", WorkloadKind.ATTENTION, "a", "64x64",
                512, 4096, 320, 8, 1, 0, variant, variant, "fused", ref);
        Timing t = new Timing("forward", List.of(median, median, median), median, median, 1, median, median, median, median,
                median, 1, Double.NaN, Double.NaN, Double.NaN);
        return new ResultRow(info, CellStatus.OK, null, t, null, null, null, null, Map.of(), Map.of(), "t0", "t1");
    }

    @Test
    void aSlowdownHiddenInEachNoisyCellShowsAcrossTheVariantsCells() {
        // Each backend's ToDo speedup wanders by up to 10% from run to run, independently of the others'.
        double[][] noise = {{1.00, 0.92, 1.06}, {0.93, 1.05, 1.00}, {1.07, 1.00, 0.94}, {1.00, 1.08, 0.95},
            {0.95, 0.96, 1.06}};
        List<List<ResultRow>> runs = new ArrayList<>();
        for (double[] n : noise) runs.add(threeBackends(n, 1));

        RunComparison unchanged = RunComparison.ofHistory(runs, threeBackends(new double[] {0.96, 1.04, 1.0}, 1), SETTINGS);
        assertTrue(unchanged.regressions().isEmpty(), unchanged.toText());

        RunComparison slower = RunComparison.ofHistory(runs, threeBackends(new double[] {1.0, 1.0, 1.0}, 1.25), SETTINGS);
        for (int b = 0; b < 3; b++) {
            assertEquals(Mark.SAME, find(slower, "backend" + b + "|todo", "speedup").mark(), slower.toText());
        }
        MetricChange all = find(slower, "all|cpu|float32|todo", "speedup");
        assertEquals(Mark.WORSE, all.mark(), slower.toText());
        assertEquals(List.of(all), slower.regressions());
        assertTrue(slower.toText().contains("cpu float32 all 3 cells of todo"), slower.toText());
        assertTrue(unchanged.changes().stream().noneMatch(m -> m.cellId().equals("all|cpu|float32|dense")),
                "a variant with one value per backend only has no speedup: " + unchanged.toText());
    }
}
