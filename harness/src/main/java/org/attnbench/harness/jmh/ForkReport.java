package org.attnbench.harness.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.StepPhase;
import org.attnbench.store.StoreJson;

/**
 * What the forked JVM measured besides time, written as {@code fork.json} in the cell's folder
 * when the trial ends (or when it fails, with the reason).
 *
 * @param unit what one sample times
 * @param flops floating-point operations of one sample
 * @param bytes minimal bytes of one sample
 * @param heapPeakMb peak Java heap of the fork
 * @param devicePeakMb peak device memory in use (NaN on CPU)
 * @param deviceBaselineMb device memory in use when the cell started
 * @param deviceSource how device memory was read, or why it was not
 * @param settings the backend's settings
 * @param outputs the fidelity outputs file name in the cell folder, or null
 * @param images the decoded images' PNG file names in the cell folder, one per fidelity sample (empty without a VAE)
 * @param skipped why the cell cannot run on its backend, or null
 * @param error why the cell failed, or null
 * @param phases a denoising loop's measured steps per graph (empty for other workloads)
 * @param flopsSkipped of a denoising loop, the FLOPs of one image its cross-step method did not run (NaN elsewhere)
 * @param keptMb of a denoising loop, the most MiB its plan kept across steps at once (NaN elsewhere)
 */
public record ForkReport(String unit, double flops, double bytes, double heapPeakMb, double devicePeakMb,
        double deviceBaselineMb, String deviceSource, Map<String, String> settings, String outputs, List<String> images,
        String skipped, String error, List<StepPhase> phases, double flopsSkipped, double keptMb) {
    public static final String FILE = "fork.json";

    static ForkReport failure(boolean skipped, String reason) {
        return new ForkReport(null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, Map.of(), null,
                List.of(), skipped ? reason : null, skipped ? null : reason, List.of(), Double.NaN, Double.NaN);
    }

    void write(Path cellDir) {
        AtomicFiles.writeString(cellDir.resolve(FILE), StoreJson.PRETTY.toJson(this));
    }

    public static Optional<ForkReport> read(Path cellDir) {
        Path f = cellDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.ofNullable(StoreJson.COMPACT.fromJson(Files.readString(f), ForkReport.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
