package org.attnbench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhResultsTest {
    static List<JmhResult> fixture() throws Exception {
        return JmhResults.parse(new String(JmhResultsTest.class.getResourceAsStream("/bench/jmh-fixture.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void readsBenchmarkParamsMedianSamplesAndPeakRss() throws Exception {
        List<JmhResult> rs = fixture();
        assertEquals(7, rs.size());
        JmhResult gemm = rs.get(0);
        assertTrue(gemm.isGemm());
        assertEquals("onnxruntime", gemm.param("backend"));
        assertEquals("", gemm.param("grid"));
        assertEquals(100.0, gemm.medianMs(), 1e-9);
        assertEquals(3, gemm.samples());
        assertEquals(300.0, gemm.peakRssMb(), 1e-9);

        JmhResult dense = rs.get(1);
        assertFalse(dense.isGemm());
        assertEquals("AttentionBenchmark", dense.benchmark());
        assertEquals("dense", dense.param("variant"));
        assertEquals(200.0, dense.medianMs(), 1e-9);
    }

    @Test
    void convertsSecondsPerOpToMillisAndLeavesMissingRssNaN() throws Exception {
        List<JmhResult> rs = fixture();
        assertEquals(50.0, rs.get(2).medianMs(), 1e-9);
        assertTrue(Double.isNaN(rs.get(3).peakRssMb()));
    }
}
