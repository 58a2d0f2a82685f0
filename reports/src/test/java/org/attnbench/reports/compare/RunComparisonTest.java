package org.attnbench.reports.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;

class RunComparisonTest {
    static final double[] DENSE = {100, 101, 99, 102, 98, 100, 103, 97, 100, 101};

    static ResultRow row(String variant, String ref, double mse, double... ms) {
        return withReferenceMedian(variant, ref, mse, 100, ms);
    }

    /** A cell whose reference (when it has one) has median {@code refMedian}. */
    static ResultRow withReferenceMedian(String variant, String ref, double mse, double refMedian, double... ms) {
        CellInfo cell = new CellInfo(variant, "onnxruntime", "cpu", "float32", WorkloadKind.ATTENTION, "sd15-level1", "64x64", 512, 4096,
                320, 8, 1, 0, variant, variant, "matmul", ref);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = new org.attnbench.metrics.timing.Samples(sorted).median();
        Timing t = new Timing("forward", Arrays.stream(ms).boxed().toList(), median, median, 1, median, median, median,
                median, median, 1, Double.NaN, Double.NaN, Double.NaN);
        Quality q = new Quality(1, mse, Double.NaN, 0.99, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, null, null);
        return new ResultRow(cell, CellStatus.OK, null, t, ref == null ? null : new Speedup(refMedian / median, 0, 0),
                null, null, q, Map.of(), Map.of(), "t0", "t1");
    }

    static double[] times(double scale) {
        return Arrays.stream(DENSE).map(v -> v * scale).toArray();
    }

    static List<ResultRow> run(double todoScale, double todoMse) {
        return List.of(row("dense", null, Double.NaN, DENSE), row("todo", "dense", todoMse, times(todoScale)));
    }

    @Test
    void unchangedRunPasses() {
        RunComparison c = RunComparison.of(run(0.5, 1e-3), run(0.5, 1e-3), GateSettings.DEFAULT);
        assertTrue(c.regressions().isEmpty(), c.toText());
        MetricChange speedup = find(c, "todo", "speedup");
        assertEquals(Mark.SAME, speedup.mark());
        assertEquals(1.0, speedup.ratio(), 1e-12);
    }

    @Test
    void slowerVariantIsASignificantRegression() {
        RunComparison c = RunComparison.of(run(0.5, 1e-3), run(0.7, 1e-3), GateSettings.DEFAULT);
        MetricChange speedup = find(c, "todo", "speedup");
        assertEquals(Mark.WORSE, speedup.mark(), c.toText());
        assertEquals(0.5 / 0.7, speedup.ratio(), 1e-9);
        assertTrue(speedup.pValue() < 0.001, "fully separated 10 vs 10: p = " + speedup.pValue());
        assertEquals(List.of(speedup), c.regressions());
        assertTrue(c.toText().lines().anyMatch(l -> l.trim().startsWith("+") && l.contains("speedup")), c.toText());
        // absolute times are shown but not gated by default
        MetricChange time = find(c, "todo", "time_ms");
        assertEquals(Mark.WORSE, time.mark());
        assertTrue(!time.gated());
    }

    @Test
    void aSlowerReferenceIsABetterSpeedup() {
        List<ResultRow> slowerDense = List.of(row("dense", null, Double.NaN, times(1.3)),
                withReferenceMedian("todo", "dense", 1e-3, 130, times(0.5)));
        MetricChange speedup = find(RunComparison.of(run(0.5, 1e-3), slowerDense, GateSettings.DEFAULT), "todo", "speedup");
        assertEquals(1.3, speedup.ratio(), 1e-9);
        assertEquals(Mark.BETTER, speedup.mark());
    }

    @Test
    void fasterVariantIsAnImprovementNotARegression() {
        RunComparison c = RunComparison.of(run(0.5, 1e-3), run(0.3, 1e-3), GateSettings.DEFAULT);
        assertEquals(Mark.BETTER, find(c, "todo", "speedup").mark());
        assertTrue(c.regressions().isEmpty());
    }

    @Test
    void aChangeBeyondTheFactorWithFewSamplesIsNotSignificant() {
        List<ResultRow> before = List.of(row("dense", null, Double.NaN, DENSE), row("todo", "dense", 1e-3, 50, 50));
        List<ResultRow> after = List.of(row("dense", null, Double.NaN, DENSE), row("todo", "dense", 1e-3, 70, 70));
        // two samples each cannot reach p < 0.01
        RunComparison c = RunComparison.of(before, after, GateSettings.DEFAULT);
        assertEquals(Mark.NOT_SIGNIFICANT, find(c, "todo", "speedup").mark(), c.toText());
        assertTrue(c.regressions().isEmpty());
    }

    @Test
    void fidelityBeyondToleranceAndFailedCellsAreRegressions() {
        List<ResultRow> after = List.of(
                ResultRow.failed(run(0.5, 0).get(0).cell(), CellStatus.FAILED, "out of memory", "t0", "t1"),
                row("todo", "dense", 2e-3, times(0.5)));
        RunComparison c = RunComparison.of(run(0.5, 1e-3), after, GateSettings.DEFAULT);
        assertEquals(Mark.FAILED, c.changes().stream().filter(x -> x.cellId().equals("dense")).findFirst().orElseThrow().mark());
        assertEquals(Mark.WORSE, find(c, "todo", "mse").mark());
        assertEquals(2, c.regressions().size(), c.toText());
        // with the reference gone there is no speedup to compare
        assertTrue(c.changes().stream().noneMatch(x -> x.metric().equals("speedup")));
    }

    static MetricChange find(RunComparison c, String cell, String metric) {
        return c.changes().stream().filter(x -> x.cellId().equals(cell) && x.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError(c.toText()));
    }
}
