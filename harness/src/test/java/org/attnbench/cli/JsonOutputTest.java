package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.schemas.SchemaCheck;
import org.attnbench.store.CellStatus;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.attnbench.store.Speedup;
import org.attnbench.store.StoreJson;
import org.attnbench.store.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --json on compare, gate, validate and backends: stdout is one document that holds to its shipped schema. */
class JsonOutputTest {
    static final Path BASELINE = Path.of("../results/baselines/gate");

    private static JsonObject json(String schema, CliRun run) {
        SchemaCheck.assertValid(schema, run.out());
        return JsonParser.parseString(run.out()).getAsJsonObject();
    }

    @Test
    void backends() {
        CliRun run = CliRun.of("backends", "--json");
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        JsonObject o = json("backends", run);
        assertTrue(o.getAsJsonArray("backends").asList().stream().map(JsonObject.class::cast)
                .anyMatch(b -> b.get("name").getAsString().equals("onnxruntime") && b.getAsJsonArray("devices").asList().stream()
                        .map(JsonObject.class::cast)
                        .anyMatch(d -> d.get("device").getAsString().equals("cpu") && d.get("available").getAsBoolean())), run.out());
    }

    @Test
    void validateAValidAndAnInvalidConfig(@TempDir Path dir) throws Exception {
        CliRun ok = CliRun.of("validate", "--json", "../configs/quickstart.yaml");
        assertEquals(ExitCode.OK, ok.exitCode(), ok.err());
        JsonObject o = json("validate", ok);
        assertTrue(o.get("valid").getAsBoolean());
        assertEquals(16, o.getAsJsonArray("cells").size(), ok.out());
        assertEquals("quickstart", o.get("name").getAsString());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                backends: [djll]
                workloads:
                  - attention: {grids: [8x8]}
                variants: [dense]
                timing: {iterations: -1}
                """);
        CliRun no = CliRun.of("validate", "--json", bad.toString());
        assertEquals(ExitCode.USER_ERROR, no.exitCode());
        JsonObject p = json("validate", no);
        assertFalse(p.get("valid").getAsBoolean());
        assertEquals(2, p.getAsJsonArray("problems").size(), no.out());
        JsonObject first = p.getAsJsonArray("problems").get(0).getAsJsonObject();
        assertEquals(1, first.get("line").getAsInt());
        assertEquals(12, first.get("column").getAsInt());
        assertEquals("backends[0]", first.get("path").getAsString());
        assertEquals(2, no.errLines().size(), "the problems go to stderr too: " + no.err());

        CliRun missing = CliRun.of("validate", "--json", dir.resolve("nope.yaml").toString());
        assertEquals(ExitCode.USER_ERROR, missing.exitCode());
        assertTrue(json("validate", missing).getAsJsonArray("problems").get(0).getAsJsonObject().get("line").isJsonNull());
    }

    @Test
    void compareGivesEachVerdictWithItsExitCode(@TempDir Path dir) throws Exception {
        List<ResultRow> base = RowsFile.read(BASELINE);
        CliRun same = CliRun.of("compare", "--json", "--baseline", BASELINE.toString(), "--current", BASELINE.toString());
        assertEquals(ExitCode.OK, same.exitCode(), same.err());
        JsonObject o = json("compare", same);
        assertEquals("pass", o.get("verdict").getAsString());
        assertTrue(o.getAsJsonArray("changes").size() > 10, same.out());
        assertTrue(same.err().contains("0 regressions"), "the table goes to stderr: " + same.err());

        // ToDo's cells three times slower: its speedups fall, a regression
        Path slower = write(dir.resolve("slower.jsonl"), scaled(base, "todo:", 3.0));
        CliRun regression = CliRun.of("compare", "--json", "--baseline", BASELINE.toString(), "--current", slower.toString());
        assertEquals(ExitCode.CHECK_FAILED, regression.exitCode(), regression.err());
        JsonObject r = json("compare", regression);
        assertEquals("regression", r.get("verdict").getAsString());
        assertTrue(r.getAsJsonObject("counts").get("regressions").getAsInt() >= 2, regression.out());

        // one cell failed: the run is incomplete, whatever else changed
        List<ResultRow> failed = new ArrayList<>(scaled(base, "todo:", 3.0));
        ResultRow victim = failed.remove(0);
        failed.add(0, ResultRow.failed(victim.cell(), CellStatus.FAILED, "out of memory", "t0", "t1"));
        Path broken = write(dir.resolve("failed.jsonl"), failed);
        CliRun cells = CliRun.of("compare", "--json", "--baseline", BASELINE.toString(), "--current", broken.toString());
        assertEquals(ExitCode.FAILED_CELLS, cells.exitCode(), cells.err());
        JsonObject f = json("compare", cells);
        assertEquals("failed_cells", f.get("verdict").getAsString());
        assertEquals(victim.cell().id(), f.getAsJsonArray("failed_cells").get(0).getAsString());
    }

    @Test
    void gateTakesABaselineThenPasses(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gate.yaml");
        Files.writeString(config, """
                name: json-gate
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [6x6], channels: 16, heads: 2}
                variants: [dense, "todo:factor=2"]
                timing: {warmup: 1, iterations: 3, forks: 0}
                ceilings: false
                gate: {speedup_factor: 100}
                """);
        Path baseline = dir.resolve("baseline");
        CliRun take = CliRun.of("gate", "--json", "--config", config.toString(), "--baseline", baseline.toString(), "--out",
                dir.resolve("run0").toString(), "--update-baseline");
        assertEquals(ExitCode.OK, take.exitCode(), take.err());
        assertEquals("baseline_updated", json("gate", take).get("verdict").getAsString());
        assertTrue(take.err().contains("baseline updated"), "progress goes to stderr: " + take.err());

        CliRun again = CliRun.of("gate", "--json", "--config", config.toString(), "--baseline", baseline.toString(), "--out",
                dir.resolve("run1").toString());
        assertEquals(ExitCode.OK, again.exitCode(), again.err());
        JsonObject o = json("gate", again);
        assertEquals("pass", o.get("verdict").getAsString());
        assertEquals(config.toString(), o.get("config").getAsString());
        assertEquals(2, SchemaCheck.assertRunValid(dir.resolve("run1")));
    }

    /** The rows with the cells whose variant starts with {@code prefix} {@code f} times slower (samples and speedups). */
    static List<ResultRow> scaled(List<ResultRow> rows, String prefix, double f) {
        return rows.stream().map(r -> {
            if (!r.ok() || !r.cell().variant().startsWith(prefix)) return r;
            Timing t = r.timing();
            Timing slow = new Timing(t.unit(), t.samplesMs().stream().map(x -> x * f).toList(), t.medianMs() * f,
                    t.meanMs() * f, t.stdMs() * f, t.p10Ms() * f, t.p90Ms() * f, t.p99Ms() * f, t.ciLowMs() * f,
                    t.ciHighMs() * f, t.forks(), t.tokensPerS() / f, t.stepsPerS() / f, t.imagesPerS() / f, t.phases());
            Speedup x = r.speedup();
            return new ResultRow(r.cell(), r.status(), r.error(), slow, new Speedup(x.ratio() / f, x.low() / f, x.high() / f),
                    r.memory(), r.cost(), r.quality(),
                    r.settings(), r.files(), r.startedAt(), r.finishedAt());
        }).toList();
    }

    static Path write(Path file, List<ResultRow> rows) throws Exception {
        StringBuilder s = new StringBuilder();
        for (ResultRow r : rows) s.append(StoreJson.write(StoreJson.COMPACT, r)).append('\n');
        Files.writeString(file, s);
        return file;
    }
}
