package org.attnbench.metrics.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * CUDA device memory in use, sampled over a window: NVML's reading (through {@code nvidia-smi
 * --query-gpu=memory.used -lms N}) every {@code intervalMs}, kept as the peak. The reading is
 * device-wide (every process on that GPU), so the baseline, taken before the window, is
 * reported too; the cell's own use is the peak minus the baseline when nothing else runs there.
 * Spikes shorter than the interval can be missed. If the JVM dies without closing the sampler,
 * nvidia-smi ends at its next write into the closed pipe.
 */
public final class DeviceMemorySampler implements AutoCloseable {
    private final Process process;
    private final Thread reader;
    private final String source;
    private volatile double baselineMb = Double.NaN;
    private volatile double peakMb = Double.NaN;

    private DeviceMemorySampler(Process process, String source) {
        this.process = process;
        this.source = source;
        this.reader = process == null ? null : new Thread(this::read, "device-memory");
        if (reader != null) reader.setDaemon(true);
    }

    /** Starts sampling CUDA device {@code index}; without nvidia-smi the figures stay NaN and {@link #source()} says why. */
    public static DeviceMemorySampler start(int index, int intervalMs) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits",
                    "-i", String.valueOf(index), "-lms", String.valueOf(intervalMs)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            DeviceMemorySampler s = new DeviceMemorySampler(p,
                    "NVML memory.used of cuda:" + index + " via nvidia-smi every " + intervalMs + " ms, device-wide");
            s.reader.start();
            return s;
        } catch (IOException e) {
            return new DeviceMemorySampler(null, "not measured: nvidia-smi not found (" + e.getMessage() + ")");
        }
    }

    /** For CPU devices: nothing to sample. */
    public static DeviceMemorySampler none(String why) {
        return new DeviceMemorySampler(null, "not measured: " + why);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                try {
                    double mb = Double.parseDouble(line.trim());
                    if (Double.isNaN(baselineMb)) baselineMb = mb;
                    if (Double.isNaN(peakMb) || mb > peakMb) peakMb = mb;
                } catch (NumberFormatException e) {
                    // a warning line from nvidia-smi: not a reading
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The first reading, MiB (NaN if none yet). */
    public double baselineMb() {
        return baselineMb;
    }

    /** The largest reading since the start or the last {@link #resetPeak}, MiB. */
    public double peakMb() {
        return peakMb;
    }

    /** Starts a new window: the peak becomes the next reading's. */
    public void resetPeak() {
        peakMb = Double.NaN;
    }

    public String source() {
        return source;
    }

    @Override
    public void close() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
