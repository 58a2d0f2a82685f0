package org.attnbench.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.SweepConfigReader;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.CellWork;
import org.junit.jupiter.api.Test;

/** The ETA weighs UNet cells by their counted FLOPs: a 4x larger image predicts about 4x (or more) the time. */
class ProgressTest {
    private static final String SWEEP = """
            backends: [onnxruntime]
            workloads:
              - unet: {model: tiny, resolutions: [64, 128], steps: 2, guidance: 1}
            variants: [dense]
            ceilings: false
            """;

    @Test
    void predictsUNetCellsByTheirWork() throws Exception {
        List<Cell> cells = CellPlan.of(SweepConfigReader.parse(Path.of("t.yaml"), SWEEP, 1.0)).cells();
        assertEquals(2, cells.size());
        CellWork work = new CellWork();
        double ratio = work.flops(cells.get(1)) / work.flops(cells.get(0));
        assertTrue(ratio > 3.5, "128 px has at least 4x the tokens of 64 px: " + ratio);
        try (Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), 2, cells, work::flops, false)) {
            p.started(cells.get(0));
            Thread.sleep(200);
            p.finished(ResultRow.failed(RowBuilder.info(cells.get(0)), CellStatus.FAILED, "test", null, null));
            p.started(cells.get(1));
            double eta = p.eta();
            assertTrue(eta > 0.2 * ratio * 0.9 - 0.01 && eta < 60, "eta " + eta + " s for a cell " + ratio + "x the work");
        }
    }

    @Test
    void cellTimeIsAFixedCostPlusACostPerFlop() {
        assertArrayEquals(new double[] {0, 100}, Progress.line(List.of(new double[] {1, 100}, new double[] {3, 300})), 1e-9);
        assertArrayEquals(new double[] {100, 50}, Progress.line(List.of(new double[] {1, 150}, new double[] {3, 250})), 1e-9);
        assertArrayEquals(new double[] {0, 102.5}, Progress.line(List.of(new double[] {2, 200}, new double[] {2, 210})), 1e-9,
                "one size only: through the origin");
        assertArrayEquals(new double[] {287.5, 12.5}, Progress.line(List.of(new double[] {1, 300}, new double[] {9, 400})), 1e-9);
        assertArrayEquals(new double[] {0, 40}, Progress.line(List.of(new double[] {1, 300}, new double[] {9, 100})), 1e-9,
                "a larger cell that took less time: no negative cost per FLOP, through the origin");
    }

    @Test
    void onlyUNetCellsHaveCountedWork() {
        Cell attention = CellPlan.of(SweepConfigReader.parse(Path.of("t.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [8x8], channels: 16, heads: 2}
                variants: [dense]
                ceilings: false
                """, 1.0)).cells().get(0);
        assertTrue(Double.isNaN(new CellWork().flops(attention)), "attention cells take the mean time of finished cells");
    }
}
