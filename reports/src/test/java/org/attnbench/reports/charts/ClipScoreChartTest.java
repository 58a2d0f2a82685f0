package org.attnbench.reports.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.reports.data.RunData;
import org.attnbench.reports.document.Block;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.Kernel;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.Speedup;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLIP score against speed: higher is better, so its front keeps the fast cells that score high. */
class ClipScoreChartTest {
    static final String CLIP = "clip-vit-base-patch16";

    private static ResultRow row(String variant, double speedup, double clipScore) {
        String id = "onnxruntime|cpu|float32|unet:tiny,64px|" + variant;
        String ref = variant.equals("dense") ? null : "onnxruntime|cpu|float32|unet:tiny,64px|dense";
        CellInfo cell = new CellInfo(id, "onnxruntime", "cpu", "float32", WorkloadKind.DENOISING, "tiny", "8x8", 64, 64, 0, 0, 1,
                2, variant, variant.substring(0, variant.indexOf(':') < 0 ? variant.length() : variant.indexOf(':')),
                Kernel.of("matmul"), ref, null, CellInfo.UNET_CLASS);
        Timing t = new Timing("image", List.of(1.0), 1, 1, 0, 1, 1, 1, 1, 1, 1, Double.NaN, Double.NaN, Double.NaN, List.of());
        Quality q = new Quality(4, ref == null ? Double.NaN : 1e-3, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, null, null, clipScore, CLIP, Map.of());
        return new ResultRow(cell, CellStatus.OK, null, t, ref == null ? null : new Speedup(speedup, speedup * 0.9, speedup * 1.1),
                null, null, q, null, null, null, null);
    }

    @Test
    void theFrontKeepsTheCellsNoneBeatsOnSpeedAndScore() {
        ResultRow dense = row("dense", 1, 31.0);
        ResultRow todo = row("todo:factor=2", 1.6, 30.6);
        ResultRow tome = row("tome:ratio=0.5", 1.3, 29.0);     // slower than ToDo and scores lower: off the front
        ResultRow deepcache = row("deepcache:interval=3", 2.3, 29.5);
        List<ResultRow> front = FidelityChart.front(List.of(dense, todo, tome, deepcache), "clip");
        assertEquals(List.of(dense, todo, deepcache), front);
        // lower is better for an error: the same rows on MSE would keep only what is fastest for its error
        assertTrue(FidelityChart.front(List.of(todo, tome, deepcache), "mse").contains(deepcache));
    }

    @Test
    void theChartShowsDenseAtOneAndSaysHigherIsBetter(@TempDir Path dir) throws Exception {
        RunData run = new RunData(dir, null, List.of(row("dense", 1, 31.0), row("todo:factor=2", 1.6, 30.6)));
        Block.Figure clip = FidelityChart.blocks(run, new ChartFiles(dir)).stream()
                .filter(b -> b instanceof Block.Figure f && f.title().startsWith("CLIP score against speedup"))
                .map(b -> (Block.Figure) b).findFirst().orElseThrow();
        assertTrue(clip.title().endsWith("(" + CLIP + ")"), clip.title());
        assertTrue(clip.caption().contains("sit high and to the right"), clip.caption());
        assertTrue(clip.caption().contains("dense included, at speedup 1"), clip.caption());
        try (var files = Files.list(dir.resolve("charts"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("fidelity-clip-")), "the chart is written");
        }
    }

    @Test
    void aRunWithoutClipScoresDrawsNoClipChart(@TempDir Path dir) {
        RunData run = new RunData(dir, null, List.of(row("dense", 1, Double.NaN), row("todo:factor=2", 1.6, Double.NaN)));
        assertTrue(FidelityChart.blocks(run, new ChartFiles(dir)).stream().noneMatch(b -> b.toString().contains("CLIP")));
    }
}
