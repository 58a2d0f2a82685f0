package org.attnbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @TempDir
    Path tmp;

    static CellInfo cell(String id, String variant) {
        return new CellInfo(id, "onnxruntime", "cpu", "float32", WorkloadKind.ATTENTION, "sd15-level1", "8x8", 64, 64, 320, 8, 1, 0,
                variant, variant.split(":")[0], "matmul", null);
    }

    static ResultRow measured(String id, String variant, double... millis) {
        List<Double> samples = java.util.Arrays.stream(millis).boxed().toList();
        Timing t = new Timing("forward", samples, millis[millis.length / 2], 1, 0.1, 1, 1, 1, 0.9, 1.1, 1, 6400,
                Double.NaN, Double.NaN);
        return new ResultRow(cell(id, variant), CellStatus.OK, null, t, new Speedup(2, 1.8, 2.2), null, null,
                new Quality(1, 1e-3, 30, 0.99, 0.1, 0.05, 4.8, 4.9, Double.NaN, Double.NaN, null, null), Map.of("threads", "2"),
                Map.of("jmh", "cells/x/jmh.json"), "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z");
    }

    @Test
    void rowsRoundTripWithNanAsNull() throws Exception {
        RunFolder run = RunFolder.create(tmp.resolve("run"));
        ResultRow a = measured("a", "dense", 1, 2, 3);
        run.record(a);
        run.record(ResultRow.failed(cell("b", "todo:factor=2"), CellStatus.FAILED, "out of memory", "t0", "t1"));

        String json = Files.readString(run.cellDir("a").resolve(RunFolder.ROW));
        assertTrue(json.contains("\"peak_rss_mb\": null"), json);
        assertTrue(json.contains("\"status\": \"ok\""), json);
        assertTrue(json.contains("\"workload\": \"attention\""), "typed in Java, written as before: " + json);

        Map<String, ResultRow> rows = run.rowsById();
        assertEquals(2, rows.size());
        ResultRow back = rows.get("a");
        assertEquals(a.timing(), back.timing());
        assertEquals(a.quality().mse(), back.quality().mse());
        assertTrue(Double.isNaN(back.memory().peakRssMb()));
        assertTrue(Double.isNaN(back.quality().fidLike()));
        assertEquals(WorkloadKind.ATTENTION, back.cell().workload());
        assertEquals(CellStatus.FAILED, rows.get("b").status());
        assertEquals("out of memory", rows.get("b").error());
        assertEquals(2, Files.readAllLines(run.dir().resolve(RunFolder.ROWS_JSONL)).size());
    }

    @Test
    void csvHasOneLinePerRowAndEmptyCellsForUnmeasuredValues() throws Exception {
        RunFolder run = RunFolder.create(tmp.resolve("run"));
        run.record(measured("a", "dense", 1, 2, 3));
        run.record(ResultRow.failed(cell("b", "todo:factor=2"), CellStatus.FAILED, "device lost", "t0", "t1"));
        List<String> lines = Files.readAllLines(run.dir().resolve(RunFolder.ROWS_CSV));
        assertEquals(3, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        int median = header.indexOf("median_ms");
        int status = header.indexOf("status");
        String[] failed = lines.get(2).split(",", -1);
        assertEquals("failed", failed[status]);
        assertEquals("", failed[median]);
        assertEquals("2.0", lines.get(1).split(",", -1)[median]);
        assertEquals("attention", lines.get(1).split(",", -1)[header.indexOf("workload")]);
    }

    @Test
    void keysAreDeterministicReadableAndDistinct() {
        String id = "onnxruntime|cpu|float32|attention:64x64,c320,h8,b1|todo:factor=2,method=nearest-exact";
        assertEquals(RunFolder.key(id), RunFolder.key(id));
        assertTrue(RunFolder.key(id).startsWith("onnxruntime_cpu_float32_attention_64x64_"), RunFolder.key(id));
        assertNotEquals(RunFolder.key("a/b"), RunFolder.key("a|b"));
        assertFalse(RunFolder.key(id).contains("/"));
    }

    @Test
    void aSecondRunInTheSameFolderIsRefusedAndAForeignFolderIsNotARun() {
        RunFolder run = RunFolder.create(tmp.resolve("run"));
        run.writeManifest(new RunManifest("x", "c.yaml", "h", "", 1.0, "run", new GitState("c", false), Machine.current(),
                Map.of(), null, null, 0, "t0", null, null));
        UserError e = assertThrows(UserError.class, () -> RunFolder.create(tmp.resolve("run")));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertThrows(UserError.class, () -> RunFolder.open(tmp));
        assertEquals("x", RunFolder.open(run.dir()).manifest().name());
    }

    @Test
    void aTornRowNamesTheFileAndTheFix() throws Exception {
        RunFolder run = RunFolder.create(tmp.resolve("run"));
        run.record(measured("a", "dense", 1, 2, 3));
        run.writeManifest(new RunManifest("x", "c.yaml", "h", "", 1.0, "run", new GitState("c", false), Machine.current(),
                Map.of(), null, null, 0, "t0", null, null));
        Files.writeString(run.cellDir("a").resolve(RunFolder.ROW), "{\"cell\": ");
        UserError e = assertThrows(UserError.class, () -> RunFolder.open(run.dir()).rows());
        assertTrue(e.getMessage().contains("resume the run ('attnbench run --resume " + run.dir() + "') to set it aside"),
                e.getMessage());
    }
}
