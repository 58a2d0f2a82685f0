package org.attnbench.metrics.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's peak resident memory: the kernel's high-water mark VmHWM (Linux), which
 * counts the JVM, native libraries and every native tensor allocation, and can be reset to the
 * current resident size by writing 5 to /proc/self/clear_refs. It is the number to read for
 * host memory of a run; device (CUDA) memory is not part of it.
 */
public final class PeakRss {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakRss() {}

    /** Resets the high-water mark to the current resident size; ignored where the kernel refuses. */
    public static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | SecurityException e) {
            // Not Linux, or no permission: the peak then covers the whole JVM lifetime.
        }
    }

    /** The peak resident set in MiB, or NaN where /proc is unavailable. */
    public static double megabytes() {
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
