package org.attnbench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsCoverEveryBackendGridAndVariant() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(BenchOptions.BACKENDS, o.backends());
        assertEquals(BenchOptions.GRIDS, o.grids());
        assertEquals(BenchOptions.VARIANTS, o.variants());
        assertTrue(o.gemm());
        assertFalse(o.forceOversized());
    }

    @Test
    void variantsSplitOnSemicolonsAndRepeat() {
        BenchOptions o = BenchOptions.parse("--backend", "djl", "--grid", "64x64", "--variant", "dense;todo:factor=2,kernel=fused",
                "--variant", "tome:ratio=0.5", "--forks", "2", "--warmup", "0", "--iterations", "3", "--out", "x", "--no-gemm");
        assertEquals(List.of("djl"), o.backends());
        assertEquals(List.of("dense", "todo:factor=2,kernel=fused", "tome:ratio=0.5"), o.variants());
        assertEquals(2, o.forks());
        assertEquals(0, o.warmup());
        assertEquals(3, o.iterations());
        assertEquals(Path.of("x"), o.out());
        assertFalse(o.gemm());
    }

    @Test
    void mistakesAreUserErrors() {
        assertThrows(UserError.class, () -> BenchOptions.parse("--iterations", "0"));
        assertThrows(UserError.class, () -> BenchOptions.parse("--forks"));
        assertThrows(UserError.class, () -> BenchOptions.parse("--bogus", "1"));
    }

    @Test
    void onlyUnslicedDenseMatmulAt128IsOversized() {
        assertTrue(Workloads.oversized("128x128", "dense"));
        assertFalse(Workloads.oversized("96x96", "dense"));
        assertFalse(Workloads.oversized("128x128", "dense:slice=1024"));
        assertFalse(Workloads.oversized("128x128", "dense:kernel=fused"));
        assertFalse(Workloads.oversized("128x128", "todo:factor=2"));
    }
}
