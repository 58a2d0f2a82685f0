package org.attnbench.harness.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The samples of one benchmark in JMH's JSON result ({@code -rf json}), in milliseconds:
 * {@code rawData} (one score per iteration and fork) in single-shot mode, {@code rawDataHistogram}
 * (value, count pairs) in sample-time mode; and the {@link PeakRssProfiler} figure.
 *
 * @param samplesMs every sample, forks in order
 * @param forks how many forks produced them
 * @param peakRssMb peak resident memory over forks, NaN when not recorded
 */
public record JmhSamples(List<Double> samplesMs, int forks, double peakRssMb) {

    /** The first result in the file, or empty when JMH wrote none (the benchmark failed). */
    public static Optional<JmhSamples> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            return parse(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static Optional<JmhSamples> parse(String json) {
        JsonElement root = JsonParser.parseString(json.isBlank() ? "[]" : json);
        if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) return Optional.empty();
        JsonObject result = root.getAsJsonArray().get(0).getAsJsonObject();
        JsonObject primary = result.getAsJsonObject("primaryMetric");
        double toMs = millisPer(primary.get("scoreUnit").getAsString());
        List<Double> samples = new ArrayList<>();
        int forks = 0;
        if (primary.has("rawDataHistogram")) {
            for (JsonElement fork : primary.getAsJsonArray("rawDataHistogram")) {
                forks++;
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    for (JsonElement pair : iteration.getAsJsonArray()) {
                        JsonArray p = pair.getAsJsonArray();
                        for (int i = 0; i < p.get(1).getAsInt(); i++) samples.add(p.get(0).getAsDouble() * toMs);
                    }
                }
            }
        } else {
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                forks++;
                for (JsonElement v : fork.getAsJsonArray()) samples.add(v.getAsDouble() * toMs);
            }
        }
        if (samples.isEmpty()) return Optional.empty();
        double rss = Double.NaN;
        JsonObject secondary = result.getAsJsonObject("secondaryMetrics");
        if (secondary != null && secondary.has(PeakRssProfiler.LABEL)) {
            rss = secondary.getAsJsonObject(PeakRssProfiler.LABEL).get("score").getAsDouble();
        }
        return Optional.of(new JmhSamples(samples, forks, rss));
    }

    /** Milliseconds in one unit of a time-per-operation score such as {@code ms/op}. */
    static double millisPer(String unit) {
        return switch (unit) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalStateException("JMH score unit '" + unit + "' is not a time per operation");
        };
    }
}
