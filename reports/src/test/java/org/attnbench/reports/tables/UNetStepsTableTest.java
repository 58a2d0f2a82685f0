package org.attnbench.reports.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.metrics.cost.StepPart;
import org.attnbench.reports.data.StepSplit;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Cost;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.StepPhase;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** A ToDo UNet cell beside its dense reference: claim, measured and FLOP-predicted speedup, each graph's steps. */
class UNetStepsTableTest {
    private static final String DENSE = "onnxruntime|cpu|float32|unet:sd15,1024px|dense:kernel=fused";
    private static final String TODO = "onnxruntime|cpu|float32|unet:sd15,1024px|todo:factor=2,kernel=fused";

    private static ResultRow row(String id, String variant, String family, String ref, double imageMs, double flops,
                                 List<StepPhase> phases, Speedup speedup) {
        CellInfo cell = new CellInfo(id, "onnxruntime", "cpu", "float32", WorkloadKind.DENOISING, "sd15", "128x128", 1024, 16384, 0, 0,
                1, 2, variant, family, "fused", ref);
        Timing t = new Timing("image", List.of(imageMs), imageMs, imageMs, 0, imageMs, imageMs, imageMs, imageMs, imageMs,
                1, Double.NaN, Double.NaN, Double.NaN, phases);
        Cost cost = new Cost(flops, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new ResultRow(cell, CellStatus.OK, null, t, speedup, null, cost, null, null, null, null, null);
    }

    @Test
    void showsEachGraphOfTheScheduleBesideDense() {
        ResultRow dense = row(DENSE, "dense:kernel=fused", "dense", DENSE, 47_640, 9.47e12,
                List.of(new StepPhase("dense:kernel=fused", 2, List.of(23_800.0, 23_840.0), 23_820, 4.737e12)), null);
        ResultRow todo = row(TODO, "todo:factor=2,method=nearest-exact,kernel=fused", "todo", DENSE, 43_150, 7.27e12,
                List.of(new StepPhase("todo:factor=2 [downsampling: level 1 factor 2, level 2 dense; schedule: ...]", 1,
                                List.of(18_950.0), 18_950, 3.383e12),
                        new StepPhase("todo:factor=2 [similarity merge of keys/values: level 1 ratio 0.5; schedule: ...]", 1,
                                List.of(24_190.0), 24_190, 3.890e12)),
                new Speedup(1.104, 1.05, 1.15));
        List<Block> blocks = UNetStepsTable.blocks(new RunData(Path.of("."), null, List.of(dense, todo)));
        assertEquals(1, blocks.size());
        Table t = ((Block.TableBlock) blocks.get(0)).table();
        assertEquals(1, t.rowCount(), "the reference is not a row of its own");
        assertEquals("up to 2×", t.getString(0, "paper"));
        assertTrue(t.getString(0, "measured speedup [95% CI]").startsWith("1.10×"), t.print());
        assertEquals("1.30×", t.getString(0, "FLOP-predicted"));
        String steps = t.getString(0, "steps per graph (median step)");
        assertEquals("1 × 18.95 s (downsampling: level 1 factor 2, level 2 dense), 1 × 24.19 s (similarity merge of "
                + "keys/values: level 1 ratio 0.5); dense: 2 × 23.82 s", steps);
    }

    /**
     * Dense: 2 steps of 100 ms, 40% in self-attention (100 of its 400 FLOPs), 60% in the rest. ToDo's
     * two graphs keep the rest and cut self-attention's FLOPs to 25 and 50, and add token matching
     * (free in the ideal): ideal steps 100 × (0.4 × 0.25 + 0.6) = 70 ms and 100 × (0.4 × 0.5 + 0.6) =
     * 80 ms, an ideal image speedup of 200 / 150.
     */
    @Test
    void idealFromTheTimeSplitOfTheDenseStep() {
        String sa = StepSplit.SELF_ATTENTION;
        String tm = StepPart.TOKEN_MATCHING.label();
        String rest = StepPart.REST.label();
        ResultRow dense = row(DENSE, "dense:kernel=fused", "dense", DENSE, 200, 800, List.of(new StepPhase("dense", 2,
                List.of(100.0, 100.0), 100, 400, Map.of(sa, 40.0, rest, 60.0), Map.of(sa, 100.0, tm, 0.0, rest, 300.0))), null);
        ResultRow todo = row(TODO, "todo:factor=2,kernel=fused", "todo", DENSE, 166.7, 680, List.of(
                new StepPhase("todo [downsampling: f 2; schedule]", 1, List.of(75.0), 75, 325,
                        Map.of(sa, 12.0, rest, 61.0), Map.of(sa, 25.0, tm, 0.0, rest, 300.0)),
                new StepPhase("todo [similarity merge: r 0.5; schedule]", 1, List.of(90.0), 90, 360,
                        Map.of(sa, 20.0, tm, 8.0, rest, 60.0), Map.of(sa, 50.0, tm, 10.0, rest, 300.0))),
                new Speedup(1.2, 1.1, 1.3));
        assertEquals(200.0 / 150, StepSplit.idealSpeedup(dense, todo), 1e-12);
        RunData run = new RunData(Path.of("."), null, List.of(dense, todo));
        Table steps = ((Block.TableBlock) UNetStepsTable.blocks(run).get(0)).table();
        assertEquals("1.33×", steps.getString(0, "ideal from time split"));
        assertEquals("90.0%", steps.getString(0, "measured ÷ ideal"));

        Table split = ((Block.TableBlock) StepSplitTable.blocks(run).get(0)).table();
        assertEquals(3, split.rowCount(), "dense's one graph, then ToDo's two");
        assertEquals("40.0% (25.0%)", split.getString(0, sa + ": time (FLOPs)"));
        assertEquals("1.67×", split.getString(0, "ceiling if self-attention were free"));
        assertEquals("similarity merge: r 0.5", split.getString(2, "graph"));
        assertEquals("9.09% (2.78%)", split.getString(2, tm + ": time (FLOPs)"));
    }

    @Test
    void noUNetCellsNoTable() {
        assertTrue(UNetStepsTable.blocks(new RunData(Path.of("."), null, List.of())).isEmpty());
    }
}
