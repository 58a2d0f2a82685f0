package org.attnbench.harness.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.StoreJson;

/**
 * One cell's samples from interleaved forks ({@code interleaved.json} in its folder), a fork
 * appended as it ends: sample i of every cell of a fork was taken in the same round.
 *
 * @param forks each fork's samples in ms, in round order
 * @param peakRssMb each fork's peak resident memory (the JVM and every cell it held), MiB
 */
public record InterleavedSamples(List<List<Double>> forks, List<Double> peakRssMb) {
    public static final String FILE = "interleaved.json";

    static void append(Path cellDir, List<Double> samplesMs, double peakRssMb) {
        InterleavedSamples before = read(cellDir).orElse(new InterleavedSamples(List.of(), List.of()));
        List<List<Double>> forks = new ArrayList<>(before.forks());
        forks.add(List.copyOf(samplesMs));
        List<Double> rss = new ArrayList<>(before.peakRssMb());
        rss.add(peakRssMb);
        AtomicFiles.writeString(cellDir.resolve(FILE), StoreJson.COMPACT.toJson(new InterleavedSamples(forks, rss)));
    }

    public static Optional<InterleavedSamples> read(Path cellDir) {
        Path f = cellDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.ofNullable(StoreJson.COMPACT.fromJson(Files.readString(f), InterleavedSamples.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As JMH's samples of the cell: every fork's in order, the largest peak; empty without any sample. */
    public Optional<JmhSamples> asJmhSamples() {
        List<Double> all = forks.stream().flatMap(List::stream).toList();
        if (all.isEmpty()) return Optional.empty();
        double rss = peakRssMb.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max()
                .orElse(Double.NaN);
        return Optional.of(new JmhSamples(all, forks.size(), rss));
    }
}
