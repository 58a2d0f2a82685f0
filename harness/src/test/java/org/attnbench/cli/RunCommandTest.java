package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    private static Path config(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void runsEveryCellAndWritesTheRows(@TempDir Path dir) throws Exception {
        Path c = config(dir, """
                name: tiny
                backends: [onnxruntime, djl]
                grids: [6x6]
                channels: 16
                heads: 2
                variants: [dense, "todo:factor=2", "todo:factor=1"]
                warmup: 1
                iterations: 2
                """);
        CliRun run = CliRun.of("run", c.toString(), "--out", dir.resolve("runs").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("[6/6] djl cpu 6x6 todo:factor=1"), run.out());
        List<String> lines = run.outLines();
        assertTrue(lines.get(lines.size() - 1).startsWith("results: "), run.out());
        Path csv;
        try (Stream<Path> s = Files.walk(dir.resolve("runs"))) {
            csv = s.filter(p -> p.getFileName().toString().equals("rows.csv")).findFirst().orElseThrow();
        }
        List<String> rows = Files.readAllLines(csv);
        assertEquals(7, rows.size(), String.join("\n", rows));
        // todo:factor=1 is dense: MSE against dense is 0 on each backend.
        for (String row : rows.subList(1, rows.size())) {
            if (row.contains("todo:factor=1")) assertEquals("0.0", field(row, 7), row);
        }
    }

    /** The n-th comma-separated field, with the quoted variant counted as one. */
    private static String field(String row, int n) {
        String unquoted = row.replaceAll("\"[^\"]*\"", "V");
        return unquoted.split(",", -1)[n];
    }

    @Test
    void malformedYamlAndUnknownKeysAreOneLine(@TempDir Path dir) throws Exception {
        CliRun syntax = CliRun.of("run", config(dir, "backends: [onnxruntime\ngrids: 4x4\n").toString());
        syntax.assertOneErrorLine("YAML syntax error");
        CliRun unknown = CliRun.of("run", config(dir, "backend: [onnxruntime]\n").toString());
        unknown.assertOneErrorLine("unknown key 'backend'");
        CliRun spec = CliRun.of("run", config(dir, "variants: [\"tome:ratio=0.9\"]\n").toString());
        spec.assertOneErrorLine("exceeds the cap");
    }
}
