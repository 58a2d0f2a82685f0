package org.attnbench.reports.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Cost;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.StepPhase;
import org.attnbench.store.Timing;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** A ToDo UNet cell beside its dense reference: claim, measured and FLOP-predicted speedup, each graph's steps. */
class UNetStepsTableTest {
    private static final String DENSE = "onnxruntime|cpu|float32|unet:sd15,1024px|dense:kernel=fused";
    private static final String TODO = "onnxruntime|cpu|float32|unet:sd15,1024px|todo:factor=2,kernel=fused";

    private static ResultRow row(String id, String variant, String family, String ref, double imageMs, double flops,
                                 List<StepPhase> phases, Speedup speedup) {
        CellInfo cell = new CellInfo(id, "onnxruntime", "cpu", "float32", "unet", "sd15", "128x128", 1024, 16384, 0, 0,
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

    @Test
    void noUNetCellsNoTable() {
        assertTrue(UNetStepsTable.blocks(new RunData(Path.of("."), null, List.of())).isEmpty());
    }
}
