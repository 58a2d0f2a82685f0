package org.attnbench.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellTaskTest {
    @TempDir
    Path tmp;

    @Test
    void theForkReadsBackExactlyTheCellTheSweepPlanned() throws Exception {
        SweepConfig config = SweepConfigReader.parse(Path.of("test.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [8x8], channels: 16, heads: 2, inputs: gaussian}
                  - unet: {model: tiny, resolutions: [64, 128x64], steps: 2, weights: %s}
                variants: ["todo:factor=2,switch=0.5,kernel=fused", "tome:ratio=0.5,max_downsample=2",
                           "todo:factor=2+deepcache:cache_interval=3,cache_branch_id=1,uniform=false,pow=1.4,center=3",
                           "taylorseer:max_order=2,taylor_factors_dtype=float32,cache_identifiers=.*attn1",
                           "pab:cross_attention_block_skip_range=3,cross_attention_timestep_skip_range=200..900"]
                exclude: [{workload: attention, family: todo+deepcache}, {workload: attention, family: taylorseer},
                          {workload: attention, family: pab}]
                backend_options: {onnxruntime: {weights: per-session}}
                fidelity: {samples: 3}
                seed: 7
                """.formatted(Files.createDirectories(tmp.resolve("tiny-unet"))), 1.0);
        List<Cell> cells = CellPlan.of(config).cells();
        assertTrue(cells.stream().anyMatch(Cell::isCeiling));
        for (Cell cell : cells) {
            Path dir = Files.createDirectories(tmp.resolve(Integer.toString(cells.indexOf(cell))));
            CellTask back = CellTask.read(CellTask.write(dir, config, cell));
            assertEquals(cell, back.cell(), cell.label());
            assertEquals(7, back.seed());
            assertEquals(3, back.samples());
            assertEquals(Map.of("weights", "per-session"), back.backendOptions());
        }
        int unet = cells.indexOf(cells.stream().filter(c -> c.point() instanceof Point.Denoising).findFirst().orElseThrow());
        String unetTask = Files.readString(tmp.resolve(Integer.toString(unet)).resolve(CellTask.FILE));
        assertTrue(unetTask.contains("\"kind\": \"unet\""), unetTask);
        assertFalse(unetTask.contains("config_text") || unetTask.contains("configText"), "the fork gets the cell, not the sweep");
        assertTrue(cells.stream().anyMatch(c -> c.variant() != null && c.variant().steps() != null), "a stacked variant crossed too");
    }
}
