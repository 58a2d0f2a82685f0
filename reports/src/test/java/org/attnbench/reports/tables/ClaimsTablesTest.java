package org.attnbench.reports.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.attnbench.reports.RunFixture;
import org.attnbench.reports.data.RunData;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ClaimsTablesTest {
    @TempDir
    Path tmp;

    @Test
    void withoutCellsAt1536PxEveryTable1RowSaysNotMeasured() {
        RunData run = RunData.load(new RunFixture().write(tmp.resolve("run")));
        Table t = ClaimsTables.table1(run).table();
        for (int r = 1; r < t.rowCount(); r++) {
            assertEquals("not measured in this run", t.stringColumn("measured MSE").get(r));
            assertEquals("not measured in this run", t.stringColumn("measured HPF").get(r));
        }
        assertEquals("6.247e-3", t.stringColumn("paper MSE").get(3));
        assertEquals("this run has it at 256, 512 px", t.stringColumn("measured on").get(3));
        Table s = ClaimsTables.speedups(run).table();
        assertEquals("not measured in this run", s.stringColumn("this run (best per backend)").get(1));
        assertTrue(s.stringColumn("this run (best per backend)").get(0).contains("(DJL)"), s.print());
    }

    @Test
    void cellsAt1536PxStandBesideTable1() {
        RunData run = RunData.load(new RunFixture().alsoAt(1536).write(tmp.resolve("run")));
        Table t = ClaimsTables.table1(run).table();
        assertEquals("5.900e-3 (ONNX Runtime)", t.stringColumn("measured MSE").get(3));
        assertEquals("4.900 (ONNX Runtime)", t.stringColumn("measured HPF").get(3));
        assertEquals("4.887", t.stringColumn("paper HPF").get(3));
        assertEquals("2.700e-2 (ONNX Runtime)", t.stringColumn("measured MSE").get(1));
        assertEquals("not measured in this run", t.stringColumn("measured MSE").get(2));
        assertTrue(t.stringColumn("measured HPF").get(0).startsWith("4.85"), t.print());
        assertEquals("attention block (sd15-level1), 1536 px", t.stringColumn("measured on").get(3));
    }

    @Test
    void aCellMatchesAClaimByItsStoredParameters() {
        assertTrue(Matches.variant(row("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0"), "tome", "ratio", 0.5));
        assertTrue(Matches.variant(row("todo:factor=2,method=avg_pool"), "todo", "factor", 2));
        assertFalse(Matches.variant(row("todo:factor=3,method=nearest-exact"), "todo", "factor", 2));
        assertFalse(Matches.variant(row("tome-kv:ratio=0.5"), "tome", "ratio", 0.5), "another family");
        assertFalse(Matches.variant(row("tome"), "tome", "ratio", 0.5), "no ratio stored: rows are written canonical");
        assertTrue(Matches.variant(row("dense:kernel=fused"), "dense", null, Double.NaN));
    }

    private static ResultRow row(String variant) {
        return ResultRow.failed(RunFixture.cell("onnxruntime", "unet", "64x64", variant, null), CellStatus.OK, null, "t0", "t1");
    }
}
