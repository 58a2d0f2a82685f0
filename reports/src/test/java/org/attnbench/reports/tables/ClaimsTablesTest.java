package org.attnbench.reports.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.reports.RunFixture;
import org.attnbench.reports.data.RunData;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
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
    }

    @Test
    void attentionBlocksOverTheNaiveKernelStandBesideNoClaimAndSayWhatDiffers() {
        RunData run = RunData.load(new RunFixture().write(tmp.resolve("run")));
        Table s = ClaimsTables.speedups(run).table();
        String todo = s.stringColumn("this run (best per backend)").get(0);
        assertEquals("not of the paper's kind: this run times one attention block, the paper whole SD 1.5 (DreamShaper v7)"
                + " images; its speedup is over the naive matmul kernel, the paper's over flash attention", todo);
        assertFalse(todo.contains("×"), "no number beside the paper's");
        assertTrue(s.stringColumn("this run (best per backend)").get(2).startsWith(ClaimsTables.NOT_OF_ITS_KIND), s.print());
    }

    @Test
    void wholeImagesOverThePapersKernelStandBesideItWithDeviceAndPrecisionStated() {
        // ToDo's paper timed over flash attention: this UNet's naive reference is not that; ToMe's timed over
        // the original model's (unfused) attention, which this UNet's reference is.
        RunData run = RunData.load(new RunFixture().unet().write(tmp.resolve("run")));
        Table s = ClaimsTables.speedups(run).table();
        assertTrue(s.stringColumn("this run (best per backend)").get(0).equals(ClaimsTables.NOT_OF_ITS_KIND
                + "its speedup is over the naive matmul kernel, the paper's over flash attention"), s.print());
        assertEquals("1.08× (ONNX Runtime)", s.stringColumn("this run (best per backend)").get(2));
        assertEquals("UNet sd15, 2 steps, 512 px; cpu, float32 (the paper: a CUDA GPU, float16)",
                s.stringColumn("measured on").get(2));
    }

    @Test
    void fusedWholeImagesStandBesideToDosClaimUnlessAFasterDenseKernelRan() {
        ResultRow fused = unet("dense:kernel=fused", null, 30_000);
        ResultRow todo = unet("todo:factor=2,method=nearest-exact,kernel=fused", fused.cell().id(), 20_000);
        RunData run = new RunData(tmp, null, List.of(fused, todo));
        assertEquals("1.50× (ONNX Runtime)", ClaimsTables.speedups(run).table().stringColumn("this run (best per backend)").get(0));
        assertTrue(ClaimKind.differences(PaperClaims.SPEEDUPS.get(0).claim(), todo, run).isEmpty());

        // ToMe over the naive kernel is of its paper's kind, but not while the fused kernel ran faster beside it.
        ResultRow naive = unet("dense", null, 45_000);
        ResultRow tome = unet("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0", naive.cell().id(), 40_000);
        RunData both = new RunData(tmp, null, List.of(naive, fused, tome));
        String row = ClaimsTables.speedups(both).table().stringColumn("this run (best per backend)").get(2);
        assertEquals(ClaimsTables.NOT_OF_ITS_KIND + "its dense reference (the naive matmul kernel) is not this backend's"
                + " fastest here: the fused kernel ran 1.50× faster", row);
        assertEquals("1.13× (ONNX Runtime)", ClaimsTables.speedups(new RunData(tmp, null, List.of(naive, tome))).table()
                .stringColumn("this run (best per backend)").get(2));
    }

    /** An SD 1.5 UNet cell at 512 px on ONNX Runtime, its speedup over its reference's median as the runner records it. */
    private static ResultRow unet(String variant, String refId, double ms) {
        String id = "onnxruntime|cpu|float32|unet:sd15,512px|" + variant;
        String family = variant.split(":")[0];
        CellInfo cell = new CellInfo(id, "onnxruntime", "cpu", "float32", WorkloadKind.DENOISING, "sd15", "64x64", 512, 4096, 0,
                0, 1, 2, variant, family, variant.contains("kernel=fused") ? "fused" : "matmul", refId);
        Timing t = new Timing("image", List.of(ms), ms, ms, 0, ms, ms, ms, ms, ms, 1, Double.NaN, Double.NaN, Double.NaN);
        double refMs = refId == null ? Double.NaN : refId.endsWith("fused") ? 30_000 : 45_000;
        Speedup speedup = refId == null ? null : new Speedup(refMs / ms, refMs / ms * 0.97, refMs / ms * 1.03);
        return new ResultRow(cell, CellStatus.OK, null, t, speedup, null, null, null, null, null, null, null);
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
