package org.attnbench.reports.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Cost;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The headline chart draws whole-UNet cells against size, and nothing for a run without them. */
class HeadlineChartTest {
    private static ResultRow row(int px, String variant, String family, Speedup speedup) {
        return row("sd15", CellInfo.UNET_CLASS, px, variant, family, speedup);
    }

    private static ResultRow row(String model, String modelClass, int px, String variant, String family, Speedup speedup) {
        String id = "onnxruntime|cpu|float32|unet:" + model + "," + px + "px|" + variant;
        String ref = "onnxruntime|cpu|float32|unet:" + model + "," + px + "px|dense:kernel=fused";
        CellInfo cell = new CellInfo(id, "onnxruntime", "cpu", "float32", WorkloadKind.DENOISING, model, px / 8 + "x" + px / 8, px,
                (long) px * px / 64, 0, 0, 1, 2, variant, family, org.attnbench.store.Kernel.of("fused"), ref, null, modelClass);
        Timing t = new Timing("image", List.of(1.0), 1, 1, 0, 1, 1, 1, 1, 1, 1, Double.NaN, Double.NaN, Double.NaN, List.of());
        Cost cost = new Cost(family.equals("dense") ? 10 : 8, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        Quality quality = family.equals("dense") ? null
                : new Quality(1, 1e-3 * px / 512, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, null, null);
        return new ResultRow(cell, CellStatus.OK, null, t, speedup, null, cost, quality, null, null, null, null);
    }

    @Test
    void drawsTheUNetCellsAgainstSize(@TempDir Path dir) {
        List<ResultRow> rows = List.of(
                row(512, "dense:kernel=fused", "dense", null),
                row(512, "todo:factor=2,kernel=fused", "todo", new Speedup(1.1, 1.0, 1.2)),
                row(512, "todo:factor=3,kernel=fused", "todo", new Speedup(1.3, 1.2, 1.4)),
                row(1024, "dense:kernel=fused", "dense", null),
                row(1024, "todo:factor=2,kernel=fused", "todo", new Speedup(1.2, 1.1, 1.3)),
                row(1024, "tome:ratio=0.5,kernel=fused", "tome", new Speedup(1.3, 1.2, 1.4)));
        List<Block> blocks = HeadlineChart.blocks(new RunData(dir, null, rows), new ChartFiles(dir));
        assertEquals(2, blocks.size(), "speedup and error against size");
        assertTrue(Files.exists(dir.resolve("charts/headline-unet.png")));
        assertTrue(Files.exists(dir.resolve("charts/headline-error-unet.png")));
        assertEquals(List.of("todo:factor=2,kernel=fused", "todo:factor=2,kernel=fused", "tome:ratio=0.5,kernel=fused"),
                HeadlineChart.chosen(rows).stream().map(r -> r.cell().variant()).toList(), "the paper's factor at each size");
    }

    @Test
    void eachModelFamilyHasItsOwnCharts(@TempDir Path dir) {
        String pixart = "PixArtTransformer2DModel";
        List<ResultRow> rows = List.of(
                row(1024, "dense:kernel=fused", "dense", null),
                row(1024, "todo:factor=2,kernel=fused", "todo", new Speedup(1.2, 1.1, 1.3)),
                row("pixart-sigma", pixart, 1024, "dense:kernel=fused", "dense", null),
                row("pixart-sigma", pixart, 1024, "todo:factor=2,kernel=fused", "todo", new Speedup(1.5, 1.4, 1.6)),
                row("pixart-sigma-2k", pixart, 2048, "dense:kernel=fused", "dense", null),
                row("pixart-sigma-2k", pixart, 2048, "todo:factor=2,kernel=fused", "todo", new Speedup(2.5, 2.4, 2.6)));
        List<Block> blocks = HeadlineChart.blocks(new RunData(dir, null, rows), new ChartFiles(dir));
        assertEquals(4, blocks.size());
        assertTrue(Files.exists(dir.resolve("charts/headline-pixart.png")));
        assertTrue(((Block.Figure) blocks.get(2)).title().startsWith("Whole PixArt transformer: measured"),
                "no paper's claim for a model the paper did not measure");
        assertEquals(3, HeadlineChart.chosen(rows).stream().filter(r -> r.cell().family().equals("todo")).count(),
                "the 1024 px cells of two families are both drawn");
    }

    @Test
    void nothingWithoutUNetCells(@TempDir Path dir) {
        assertTrue(HeadlineChart.blocks(new RunData(dir, null, List.of()), new ChartFiles(dir)).isEmpty());
    }
}
