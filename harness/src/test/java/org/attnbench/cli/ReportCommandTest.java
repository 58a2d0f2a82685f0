package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.store.CellInfo;
import org.attnbench.store.CellStatus;
import org.attnbench.store.GitState;
import org.attnbench.store.Machine;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.store.RunManifest;
import org.attnbench.store.Speedup;
import org.attnbench.store.StoreJson;
import org.attnbench.store.Timing;
import org.attnbench.store.WorkloadKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    /** A two-cell run (dense and a ToDo cell) plus a ToMe cell that failed. */
    static Path run(Path dir) {
        RunFolder run = RunFolder.create(dir);
        Map<String, Object> m = Map.of("name", "tiny", "config_text", "name: tiny\n", "command", "attnbench run tiny.yaml",
                "git", new GitState("abc", false), "machine", new Machine("test cpu", 2, 8, List.of(), "Linux", "JVM"),
                "cells", 3, "started_at", "2026-01-05T10:00:00Z");
        run.writeManifest(StoreJson.COMPACT.fromJson(StoreJson.COMPACT.toJson(m), RunManifest.class));
        run.record(row("dense", null, 10));
        run.record(row("todo:factor=2,method=nearest-exact", "dense", 6));
        run.record(ResultRow.failed(cell("tome:ratio=0.5", "dense"), CellStatus.FAILED, "out of memory", "t0", "t1"));
        return dir;
    }

    static CellInfo cell(String variant, String ref) {
        return new CellInfo(variant, "onnxruntime", "cpu", "float32", WorkloadKind.ATTENTION, "sd15-level1", "32x32", 256, 1024, 320, 8,
                1, 0, variant, variant.split(":")[0], "matmul", ref);
    }

    static ResultRow row(String variant, String ref, double ms) {
        Timing t = new Timing("forward", List.of(ms, ms * 1.01, ms * 0.99), ms, ms, 0.1, ms, ms, ms, ms, ms, 0, Double.NaN,
                Double.NaN, Double.NaN);
        Quality q = ref == null ? null : new Quality(1, 6e-3, 30, 0.99, 0.1, 0.05, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, null, null);
        return new ResultRow(cell(variant, ref), CellStatus.OK, null, t, ref == null ? null : new Speedup(10 / ms, 1.5, 1.8),
                null, null, q, Map.of(), Map.of(), "t0", "t1");
    }

    @Test
    void writesTheReportAndPrintsThePage() throws Exception {
        Path dir = run(tmp.resolve("run"));
        CliRun r = CliRun.of("report", dir.toString(), "-o", tmp.resolve("out").toString(), "--format", "both");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("report: " + tmp.resolve("out").resolve("index.html")), r.outLines());
        String md = Files.readString(tmp.resolve("out").resolve("report.md"));
        assertTrue(md.contains("failed: out of memory"), md);
        assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("charts").resolve("speedup-attention-sd15-level1.svg")));
    }

    @Test
    void aFolderThatIsNotARunOrABadFormatIsOneErrorLine() {
        CliRun notRun = CliRun.of("report", tmp.toString());
        notRun.assertOneErrorLine("is not a run folder");
        Path dir = run(tmp.resolve("run"));
        CliRun format = CliRun.of("report", dir.toString(), "--format", "pdf");
        format.assertOneErrorLine("unknown report format 'pdf'");
        CliRun baseline = CliRun.of("report", dir.toString(), "--baseline", tmp.resolve("missing").toString());
        baseline.assertOneErrorLine("missing is not a run folder");
    }
}
