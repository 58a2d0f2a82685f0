package org.attnbench.harness.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;
import org.attnbench.workloads.Workload;
import org.junit.jupiter.api.Test;

class CellPlanTest {
    static SweepConfig config(String yaml) {
        return SweepConfigReader.parse(Path.of("test.yaml"), yaml, 1.0);
    }

    static final String SWEEP = """
            backends: [onnxruntime, djl]
            workloads:
              - attention: {grids: [8x8, 16x16], channels: 16, heads: 2}
            variants: ["todo:factor=2", "todo:factor=2,kernel=fused", "tome:ratio=0.5,slice=16", "dense:kernel=fused"]
            """;

    @Test
    void referencesMatchTheKernelWhenTheSweepHasItAndDenseIsAlwaysRun() {
        List<Cell> cells = CellPlan.of(config(SWEEP)).cells();
        Map<String, Cell> ort8 = cells.stream().filter(c -> c.group().startsWith("onnxruntime|cpu|float32|attention:8x8"))
                .collect(Collectors.toMap(Cell::variantName, Function.identity()));
        assertEquals(List.of("dense", "todo:factor=2,method=nearest-exact", "todo:factor=2,method=nearest-exact,kernel=fused",
                "tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0,slice=16", "dense:kernel=fused"),
                cells.stream().filter(c -> c.group().startsWith("onnxruntime|cpu|float32|attention:8x8"))
                        .map(Cell::variantName).toList(), "dense first, then the config's order");
        String dense = ort8.get("dense").id();
        assertNull(ort8.get("dense").referenceId());
        assertEquals(dense, ort8.get("todo:factor=2,method=nearest-exact").referenceId());
        assertEquals(ort8.get("dense:kernel=fused").id(),
                ort8.get("todo:factor=2,method=nearest-exact,kernel=fused").referenceId(), "same kernel when present");
        assertEquals(dense, ort8.get("tome:ratio=0.5,sx=2,sy=2,use_rand=true,seed=0,slice=16").referenceId(),
                "no dense:slice=16 cell, so plain dense");
        assertEquals(dense, ort8.get("dense:kernel=fused").referenceId());
    }

    @Test
    void ceilingsComeFirstAndIdsAreUniqueAndStable() {
        CellPlan plan = CellPlan.of(config(SWEEP));
        assertEquals(4, plan.cells().size() - plan.measured().size());
        assertTrue(plan.cells().subList(0, 4).stream().allMatch(Cell::isCeiling));
        Set<String> ids = new HashSet<>();
        plan.cells().forEach(c -> assertTrue(ids.add(c.id()), c.id()));
        assertEquals(plan.cells().stream().map(Cell::id).toList(),
                CellPlan.of(config(SWEEP)).cells().stream().map(Cell::id).toList());
        assertEquals("djl|cpu|float32|attention:16x16,c16,h2,b1,synthetic|todo:factor=2,method=nearest-exact",
                plan.cells().stream().filter(c -> c.id().startsWith("djl|cpu|float32|attention:16x16")).toList().get(1).id());
    }

    @Test
    void shardsPartitionGroupsWithTheirReferencesAndCeilings() {
        CellPlan plan = CellPlan.of(config(SWEEP));
        Set<String> seen = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            CellPlan shard = plan.shard(i, 3);
            for (Cell c : shard.measured()) {
                assertTrue(seen.add(c.id()), "in two shards: " + c.id());
                if (c.referenceId() != null) {
                    assertTrue(shard.cells().stream().anyMatch(x -> x.id().equals(c.referenceId())), "reference in the shard");
                }
                assertTrue(shard.cells().stream().anyMatch(x -> x.isCeiling() && x.backend().equals(c.backend())),
                        "the shard measures its backend's ceilings");
            }
        }
        assertEquals(plan.measured().size(), seen.size());
        assertEquals(plan.shard(2, 3).cells(), CellPlan.of(config(SWEEP)).shard(2, 3).cells(), "deterministic");
    }

    @Test
    void excludesMatchEveryKeyTheyName() {
        CellPlan plan = CellPlan.of(config(SWEEP + """
                exclude:
                  - {backend: djl, kernel: fused}
                  - {grid: 16x16, family: tome}
                ceilings: false
                """));
        assertTrue(plan.cells().stream().noneMatch(c -> c.backend().equals("djl") && c.kernel().equals("fused")));
        assertTrue(plan.cells().stream().noneMatch(c -> c.point().grid().equals("16x16") && c.family().equals("tome")));
        // onnxruntime 8x8: 5 cells, 16x16: 4 (no tome); djl 8x8: 3 (no fused), 16x16: 2
        assertEquals(14, plan.cells().size());
    }

    @Test
    void scaleAppliesToGridsAndResolutionsRoundedToWhatTheyAccept() {
        SweepConfig c = SweepConfigReader.parse(Path.of("t.yaml"), """
                workloads:
                  - attention: {grids: [64x48]}
                  - unet: {model: sd15, resolutions: [1536]}
                variants: [dense]
                ceilings: false
                """, 0.25);
        List<Cell> cells = CellPlan.of(c).cells();
        assertEquals("16x12", cells.get(0).point().grid());
        assertEquals(384, cells.get(1).point().resolutionPx());
    }

    @Test
    void excludeRulesNameSizesAsWrittenWhateverTheScale() {
        String yaml = """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [32x32, 64x64]}
                  - unet: {model: tiny, resolutions: [256, 512]}
                variants: [dense]
                exclude:
                  - {grid: 64x64, workload: attention}
                  - {resolution: 256, workload: unet}
                ceilings: false
                """;
        for (double scale : new double[] {1.0, 0.5}) {
            List<Cell> cells = CellPlan.of(SweepConfigReader.parse(Path.of("t.yaml"), yaml, scale)).cells();
            assertEquals(2, cells.size(), "scale " + scale);
            assertEquals(Math.round(32 * scale) + "x" + Math.round(32 * scale), cells.get(0).point().grid());
            assertEquals((int) (512 * scale), cells.get(1).point().resolutionPx());
        }
    }

    @Test
    void checkpointsInFoldersOfTheSameNameAreDifferentCells() {
        SweepConfig c = SweepConfigReader.parse(Path.of("t.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [64]}
                variants: [dense]
                ceilings: false
                """, 1.0);
        Workload.Denoising u = (Workload.Denoising) c.workloads().get(0);
        ImageSize px64 = ImageSize.square(64);
        Point a = new Point.Denoising(new Workload.Denoising("tiny", Path.of("a/unet"), List.of(px64), 2, "ddim", 1, null), px64, px64);
        Point b = new Point.Denoising(new Workload.Denoising("tiny", Path.of("b/unet"), List.of(px64), 2, "ddim", 1, null), px64, px64);
        assertTrue(!a.describe().equals(b.describe()), a.describe());
        assertTrue(new Point.Denoising(u, px64, px64).describe().contains("random"));
    }

    @Test
    void nonSquareSizesAreWrittenWidthByHeightAndScaledPerSide() {
        SweepConfig c = SweepConfigReader.parse(Path.of("t.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [64, 128x64]}
                variants: [dense, "todo:factor=2"]
                exclude:
                  - {resolution: 128x64, variant: dense}
                ceilings: false
                """, 1.0);
        List<Cell> cells = CellPlan.of(c).cells();
        assertEquals(3, cells.size());
        Point.Denoising wide = (Point.Denoising) cells.get(2).point();
        assertEquals("8x16", wide.grid());
        assertEquals(128, wide.tokens());
        assertTrue(wide.describe().startsWith("unet:tiny,128x64px,"), wide.describe());
        SweepConfig half = SweepConfigReader.parse(Path.of("t.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [256x128]}
                variants: [dense]
                ceilings: false
                """, 0.5);
        assertEquals("8x16", CellPlan.of(half).cells().get(0).point().grid()); // 128x64 px
    }
}
