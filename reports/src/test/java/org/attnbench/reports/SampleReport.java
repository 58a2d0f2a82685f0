package org.attnbench.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One quickstart-sized report, written once per test JVM under {@code target/sample-report} and
 * shared by the tests that read it: a run with failed and skipped cells, saved outputs, a UNet
 * scope with images, and a baseline in which ONNX Runtime's ToDo at 512 px was 1.6× faster.
 */
final class SampleReport {
    static final Path ROOT = Path.of("target", "sample-report");
    private static Path index;
    private static long millis;

    private SampleReport() {}

    static synchronized Path index() {
        if (index == null) {
            deleteTree(ROOT);
            Path baseline = new RunFixture().outputs().write(ROOT.resolve("baseline"));
            Path run = new RunFixture().problems().outputs().unet().todoSlowdown(1.6).write(ROOT.resolve("run"));
            long start = System.nanoTime();
            index = Report.write(run, baseline, ROOT.resolve("report"), Format.both());
            millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("sample report written in " + millis + " ms: " + index.toAbsolutePath());
        }
        return index;
    }

    static Path dir() {
        return index().getParent();
    }

    static long millis() {
        index();
        return millis;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
