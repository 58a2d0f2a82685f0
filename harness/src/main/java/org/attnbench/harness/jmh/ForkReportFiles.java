package org.attnbench.harness.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the sweep writes into a cell's folder for an interleaved group's fork. */
public final class ForkReportFiles {
    private ForkReportFiles() {}

    /** Records that the cell could not run. */
    public static void fail(Path cellDir, String reason) {
        ForkReport.failure(false, reason).write(cellDir);
    }

    /** Appends the group fork's JMH log to the cell's {@code jmh.log}, so each cell's folder holds its forks' logs. */
    public static void appendLog(Path groupDir, Path cellDir) {
        Path log = groupDir.resolve(JmhCellRunner.LOG);
        try {
            if (Files.isRegularFile(log)) {
                Files.write(cellDir.resolve(JmhCellRunner.LOG), Files.readAllBytes(log), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
