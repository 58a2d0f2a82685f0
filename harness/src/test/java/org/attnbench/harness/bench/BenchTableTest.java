package org.attnbench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchTableTest {
    /** Round flop counts so the expected rates read at a glance. */
    private static final Map<String, Double> FLOPS = Map.of(
            "gemm", 1e10,
            "dense", 4e9,
            "todo:factor=2", 1e9,
            "dense:kernel=fused", 4e9,
            "todo:factor=2,kernel=fused", 1e9,
            "tome:ratio=0.5,slice=512", 2e9);

    private static BenchTable table() throws Exception {
        return BenchTable.of(JmhResultsTest.fixture(), r -> FLOPS.get(r.isGemm() ? "gemm" : r.param("variant")));
    }

    private static BenchTable.Row row(BenchTable t, String backend, String variant) {
        return t.rows().stream().filter(r -> r.backend().equals(backend) && r.variant().equals(variant))
                .findFirst().orElseThrow();
    }

    @Test
    void gemmRowSetsTheBackendsCeiling() throws Exception {
        BenchTable.Row gemm = row(table(), "onnxruntime", BenchTable.GEMM_VARIANT);
        assertEquals(100.0, gemm.gflops(), 1e-9);
        assertEquals(1.0, gemm.gemmFraction(), 1e-12);
        assertTrue(Double.isNaN(gemm.speedup()));
    }

    @Test
    void gflopsAndFractionOfGemm() throws Exception {
        BenchTable t = table();
        BenchTable.Row dense = row(t, "onnxruntime", "dense");
        assertEquals(20.0, dense.gflops(), 1e-9);
        assertEquals(0.2, dense.gemmFraction(), 1e-12);
        assertEquals(1500.0, dense.peakRssMb(), 1e-9);
        assertEquals(25.0, row(t, "onnxruntime", "todo:factor=2,kernel=fused").gflops(), 1e-9);
    }

    @Test
    void speedupIsOverDenseWithTheSameKernel() throws Exception {
        BenchTable t = table();
        assertEquals(1.0, row(t, "onnxruntime", "dense").speedup(), 1e-12);
        assertEquals(4.0, row(t, "onnxruntime", "todo:factor=2").speedup(), 1e-12);
        assertEquals(2.0, row(t, "onnxruntime", "todo:factor=2,kernel=fused").speedup(), 1e-12);
        assertTrue(Double.isNaN(row(t, "onnxruntime", "tome:ratio=0.5,slice=512").speedup()), "no dense:slice=512 cell");
    }

    @Test
    void missingReferencesPrintAsDash() throws Exception {
        BenchTable t = table();
        assertTrue(Double.isNaN(row(t, "djl", "dense").gemmFraction()), "no djl GEMM in the fixture");
        List<String> csv = t.toCsv().lines().toList();
        assertEquals("backend,grid,variant,median_ms,gflops,gemm_fraction,speedup_vs_dense,peak_rss_mb", csv.get(0));
        assertTrue(csv.contains("djl,64x64,dense,400.00,10.0,-,1.00,-"), t.toCsv());
        assertTrue(csv.contains("onnxruntime,64x64,\"todo:factor=2,kernel=fused\",40.00,25.0,0.250,2.00,-"), t.toCsv());
        assertTrue(t.toMarkdown().contains("| onnxruntime | 64x64 | todo:factor=2 | 50.00 | 20.0 | 0.200 | 4.00 | 800 |"),
                t.toMarkdown());
    }
}
