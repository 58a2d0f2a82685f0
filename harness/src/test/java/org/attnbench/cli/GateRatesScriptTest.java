package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/gate-rates.sh in a fake checkout whose launcher runs this build's CLI, judging three of
 * the committed baseline's own runs: its slowed baseline has every ToDo cell's samples divided by
 * 1.25 and nothing else changed, and the real compare then passes each run against the baseline
 * and fails it against the slowed one, which the script counts.
 */
class GateRatesScriptTest {
    static final Path BASELINE = Path.of("../results/baselines/gate");

    @TempDir
    Path dir;

    @Test
    void eachRunIsJudgedAgainstTheBaselineAndAgainstOneWhereToDoRanFaster() throws Exception {
        assumeTrue(new ProcessBuilder("jq", "--version").start().waitFor() == 0, "jq is not installed");
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(checkout.resolve("tools"));
        Files.copy(Path.of("../tools/gate-rates.sh"), checkout.resolve("tools/gate-rates.sh"));
        Path launcher = checkout.resolve("attnbench");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' org.attnbench.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        copy(BASELINE.toAbsolutePath(), checkout.resolve("results/baselines/gate"));
        Path out = checkout.resolve("out");
        for (int i = 1; i <= 3; i++) {
            copy(BASELINE.resolve("runs/" + i).toAbsolutePath(), out.resolve("runs/" + i));
        }

        ProcessBuilder pb = new ProcessBuilder("bash", "tools/gate-rates.sh", "--judge", "out")
                .directory(checkout.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);

        Map<String, ResultRow> before = byId(RowsFile.read(BASELINE.resolve("runs/2")));
        Map<String, ResultRow> slowed = byId(RowsFile.read(out.resolve("baseline-slowed-todo/runs/2")));
        assertEquals(before.keySet(), slowed.keySet());
        int todo = 0;
        for (String id : before.keySet()) {
            List<Double> was = before.get(id).timing().samplesMs();
            List<Double> now = slowed.get(id).timing().samplesMs();
            boolean isTodo = "todo".equals(before.get(id).cell().family());
            todo += isTodo ? 1 : 0;
            for (int i = 0; i < was.size(); i++) {
                assertEquals(isTodo ? was.get(i) / 1.25 : was.get(i), now.get(i), 1e-9 * was.get(i), id);
            }
        }
        assertEquals(3, todo, "ToDo on each backend's attention and on ONNX Runtime's UNet");

        List<String> verdicts = Files.readAllLines(out.resolve("verdicts-todo.tsv"));
        assertEquals(4, verdicts.size(), output);
        for (String line : verdicts.subList(1, 4)) {
            String[] f = line.split("\t");
            assertEquals("pass", f[2], line);
            assertTrue(f[3].startsWith("regression: ") && f[3].contains("todo speedup")
                    && !f[3].contains("tome") && !f[3].contains("dense"), line);
        }
        assertTrue(output.contains("runs: 3; unchanged passed: 3/3; 1.25x slower todo failed: 3/3"), output);
    }

    private static Map<String, ResultRow> byId(List<ResultRow> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.cell().id(), r -> r));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }
}
