package org.attnbench.reports.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.reports.tables.FidelityTable;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature scores: named by their extractor (FID or FID-like), one chart and table per extractor, small samples flagged. */
class FidelityChartTest {
    static final String STANDARD = "fid-inception (inception-2015-12-05.pt (TorchScript inception-2015-12-05.pt form), 2048-d)";
    static final String NSFWJS = "nsfwjs-inception-v3 (flatten_1, 2048-d)";

    private static ResultRow row(String backend, String variant, double speedup, String extractor, double fid, double fidSet) {
        String id = backend + "|cpu|float32|unet:tiny,64px|" + variant;
        String ref = variant.equals("dense") ? null : backend + "|cpu|float32|unet:tiny,64px|dense";
        CellInfo cell = new CellInfo(id, backend, "cpu", "float32", WorkloadKind.DENOISING, "tiny", "8x8", 64, 64, 0, 0, 1, 2,
                variant, variant.startsWith("todo") ? "todo" : "dense", org.attnbench.store.Kernel.of("matmul"), ref, null,
                CellInfo.UNET_CLASS);
        Timing t = new Timing("image", List.of(1.0), 1, 1, 0, 1, 1, 1, 1, 1, 1, Double.NaN, Double.NaN, Double.NaN, List.of());
        Quality q = new Quality(3, ref == null ? Double.NaN : 1e-3, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 4.0, 4.1,
                fid, 1e-3, extractor, new Quality.SetScores("coco-val2014", 5000, 3, fidSet, 2e-3));
        return new ResultRow(cell, CellStatus.OK, null, t, ref == null ? null : new Speedup(speedup, speedup * 0.9, speedup * 1.1),
                null, null, q, null, null, null, null);
    }

    @Test
    void twoExtractorsNeverShareAChartAndOnlyTheStandardOneIsCalledFid(@TempDir Path dir) {
        List<ResultRow> rows = List.of(
                row("onnxruntime", "dense", 1, STANDARD, Double.NaN, 30),
                row("onnxruntime", "todo:factor=2", 1.4, STANDARD, 2.5, 31),
                row("djl", "dense", 1, NSFWJS, Double.NaN, 12),
                row("djl", "todo:factor=2", 1.3, NSFWJS, 0.8, 12.5));
        RunData run = new RunData(dir, null, rows);
        List<Block.Figure> figures = FidelityChart.blocks(run, new ChartFiles(dir)).stream()
                .filter(b -> b instanceof Block.Figure).map(b -> (Block.Figure) b).toList();
        List<String> titles = figures.stream().map(Block.Figure::title).toList();
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("FID against speedup") && t.endsWith("(" + STANDARD + ")")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("FID-like against speedup") && t.endsWith("(" + NSFWJS + ")")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("FID to coco-val2014 against speedup")), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("FID-like to coco-val2014 against speedup")), titles.toString());
        Block.Figure set = figures.stream().filter(f -> f.title().startsWith("FID to coco-val2014")).findFirst().orElseThrow();
        assertTrue(set.caption().contains("as few as 3 images: FID needs about 5000 to be stable and KID about 100"), set.caption());

        List<Block> tables = FidelityTable.blocks(run);
        assertEquals(2, tables.size(), "one table per extractor");
        Block.TableBlock first = (Block.TableBlock) tables.get(0);
        assertTrue(first.table().columnNames().contains("FID to coco-val2014"), first.table().columnNames().toString());
        Block.TableBlock second = (Block.TableBlock) tables.get(1);
        assertTrue(second.table().columnNames().contains("FID-like to dense"), second.table().columnNames().toString());
        assertEquals(2, second.table().rowCount());
    }
}
