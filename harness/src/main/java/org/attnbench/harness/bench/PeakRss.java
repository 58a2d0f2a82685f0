package org.attnbench.harness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident memory (VmHWM, Linux only) and its reset. */
final class PeakRss {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakRss() {}

    /** Resets the high-water mark to the current resident size; ignored where the kernel refuses. */
    static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | SecurityException e) {
            // Not Linux, or no permission: the peak then covers the whole JVM lifetime.
        }
    }

    /** The peak resident set in MiB, or NaN where /proc is unavailable. */
    static double megabytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through: unknown.
        }
        return Double.NaN;
    }
}
