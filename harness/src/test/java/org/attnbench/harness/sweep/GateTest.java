package org.attnbench.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.cli.Main;
import org.attnbench.harness.jmh.CellBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate fails on a real slowdown and passes on unchanged code: a baseline is taken, then a
 * test-only option makes the ToDo cell run its workload 49 more times per sample (real work,
 * not a sleep), which the gate must flag; without it the same comparison passes. Each sample
 * period lasts 0.25 s (sample-time mode), and the factor is 5 rather than the product's 1.1: on a
 * 2-core machine busy with other work, naive dense attention's speedups moved 2.5x between two
 * unchanged runs, so a unit test allows that much either way, and a variant doing 50x the work is
 * far beyond it.
 */
class GateTest {
    static final String CONFIG = """
            name: gate-test
            backends: [onnxruntime]
            workloads:
              - attention: {grids: [48x48], channels: 128, heads: 4, inputs: gaussian}
            variants: [dense, "todo:factor=2"]
            timing: {warmup: 3, iterations: 5, forks: 0, min_time_s: 0.25}
            ceilings: false
            gate: {speedup_factor: 5, p_value: 0.01}
            """;

    @Test
    void slowedVariantFailsTheGateAndUnchangedCodePasses(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gate.yaml");
        Files.writeString(config, CONFIG);
        Path baseline = dir.resolve("baseline");
        Gate base = gate(config, baseline, dir.resolve("run0"), "--update-baseline", "--runs", "1");
        assertEquals(0, base.code, base.out);
        assertTrue(Files.exists(baseline.resolve("rows.jsonl")) && Files.exists(baseline.resolve("manifest.json")));

        System.setProperty(CellBenchmark.EXTRA_RUNS, "todo=49");
        Gate slow;
        try {
            slow = gate(config, baseline, dir.resolve("run1"));
        } finally {
            System.clearProperty(CellBenchmark.EXTRA_RUNS);
        }
        assertEquals(1, slow.code, slow.out);
        assertTrue(slow.out.lines().anyMatch(l -> l.trim().startsWith("+") && l.contains("speedup") && l.contains("todo")),
                slow.out);
        assertTrue(slow.out.contains("gate FAILED"), slow.out);

        Gate same = gate(config, baseline, dir.resolve("run2"));
        assertEquals(0, same.code, same.out);
        assertTrue(same.out.contains("gate passed"), same.out);

        // compare gives the same verdict on the folders
        assertEquals(1, Main.execute("compare", "--baseline", baseline.toString(), "--current", dir.resolve("run1").toString()));
        assertEquals(0, Main.execute("compare", "--baseline", baseline.toString(), "--current", dir.resolve("run2").toString()));
    }

    /** The same with a baseline of three runs, timed interleaved in forked JVMs, judged by the runs' spread. */
    static final String INTERLEAVED = """
            name: gate-history
            backends: [onnxruntime]
            workloads:
              - attention: {grids: [48x48], channels: 128, heads: 4, inputs: gaussian}
            variants: ["dense:kernel=fused", "todo:factor=2,kernel=fused"]
            timing: {warmup: 2, iterations: 8, forks: 1, interleave: true}
            fidelity: {reference: "dense:kernel=fused"}
            gate: {speedup_factor: 5, spread: 4}
            """;

    @Test
    void interleavedRunsAgainstABaselineOfSeveralRuns(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gate.yaml");
        Files.writeString(config, INTERLEAVED);
        Path baseline = dir.resolve("baseline");
        Gate base = gate(config, baseline, dir.resolve("base"), "--update-baseline", "--runs", "2");
        assertEquals(0, base.code, base.out);
        Gate more = gate(config, baseline, dir.resolve("base3"), "--add-to-baseline");
        assertEquals(0, more.code, more.out);
        assertTrue(more.out.contains("(3 runs; commit it)"), more.out);
        for (int i = 1; i <= 3; i++) assertTrue(Files.exists(baseline.resolve("runs/" + i + "/rows.jsonl")), more.out);
        assertEquals(Files.readString(dir.resolve("base3").resolve("rows.jsonl")), Files.readString(baseline.resolve("rows.jsonl")));
        // each cell's samples: one per round, the rounds of every cell of the fork alike
        String cells = Files.readString(dir.resolve("base3").resolve("rows.jsonl"));
        assertTrue(cells.contains("\"forks\":1"), cells);
        // cells alive side by side in one fork: none keeps its peak in ONNX Runtime's arena
        assertTrue(cells.contains("\"cpu_arena\":\"off\"") && !cells.contains("\"cpu_arena\":\"on\""), cells);

        System.setProperty(CellBenchmark.EXTRA_RUNS, "todo=49");
        Gate slow;
        try {
            slow = gate(config, baseline, dir.resolve("run1"));
        } finally {
            System.clearProperty(CellBenchmark.EXTRA_RUNS);
        }
        assertEquals(1, slow.code, slow.out);
        assertTrue(slow.out.contains("against 3 baseline runs"), slow.out);
        assertTrue(slow.out.lines().anyMatch(l -> l.trim().startsWith("+") && l.contains("speedup") && l.contains("todo")),
                slow.out);

        Gate same = gate(config, baseline, dir.resolve("run2"));
        assertEquals(0, same.code, same.out);
        assertTrue(same.out.lines().anyMatch(l -> l.contains("time_per_gemm") && l.contains("dense:kernel=fused")), same.out);
    }

    record Gate(int code, String out) {}

    static synchronized Gate gate(Path config, Path baseline, Path out, String... extra) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String[] args = {"gate", "--config", config.toString(), "--baseline", baseline.toString(), "--out", out.toString()};
            String[] all = new String[args.length + extra.length];
            System.arraycopy(args, 0, all, 0, args.length);
            System.arraycopy(extra, 0, all, args.length, extra.length);
            int code = Main.execute(all);
            return new Gate(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
