package org.attnbench.harness.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JmhSamplesTest {
    @Test
    void singleShotRawDataIsReadInForkOrderWithPeakMemory() throws Exception {
        String json = Files.readString(Path.of("src/test/resources/jmh/jmh-fixture.json"));
        JmhSamples s = JmhSamples.parse(json).orElseThrow();
        assertEquals(List.of(90.0, 100.0, 130.0), s.samplesMs().subList(0, 3));
        assertEquals(300.0, s.peakRssMb());
    }

    @Test
    void sampleTimeHistogramsExpandToEverySampleInMilliseconds() {
        String json = """
                [{"benchmark": "x.CellBenchmark.run", "primaryMetric": {"scoreUnit": "us/op",
                  "rawDataHistogram": [[[[1000.0, 2], [3000.0, 1]]], [[[2000.0, 1]]]]}}]
                """;
        JmhSamples s = JmhSamples.parse(json).orElseThrow();
        assertEquals(List.of(1.0, 1.0, 3.0, 2.0), s.samplesMs());
        assertEquals(2, s.forks());
        assertTrue(Double.isNaN(s.peakRssMb()));
    }

    @Test
    void aRunWithoutResultsIsEmpty() {
        assertTrue(JmhSamples.parse("[]").isEmpty());
        assertTrue(JmhSamples.parse("").isEmpty());
    }
}
