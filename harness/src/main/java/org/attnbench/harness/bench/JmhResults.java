package org.attnbench.harness.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;

/** Reads JMH's JSON result format ({@code -rf json}) into {@link JmhResult}s. */
public final class JmhResults {
    private JmhResults() {}

    public static List<JmhResult> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JmhResult> parse(String json) {
        List<JmhResult> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) out.add(result(e.getAsJsonObject()));
        return out;
    }

    private static JmhResult result(JsonObject o) {
        String fqn = o.get("benchmark").getAsString();
        String method = fqn.substring(0, fqn.lastIndexOf('.'));
        String benchmark = method.substring(method.lastIndexOf('.') + 1);
        Map<String, String> params = new LinkedHashMap<>();
        if (o.has("params")) {
            for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                params.put(p.getKey(), p.getValue().getAsString());
            }
        }
        JsonObject primary = o.getAsJsonObject("primaryMetric");
        double toMs = millisPer(primary.get("scoreUnit").getAsString());
        double median = primary.getAsJsonObject("scorePercentiles").get("50.0").getAsDouble() * toMs;
        int samples = 0;
        for (JsonElement fork : primary.getAsJsonArray("rawData")) samples += fork.getAsJsonArray().size();
        double rss = Double.NaN;
        JsonObject secondary = o.getAsJsonObject("secondaryMetrics");
        if (secondary != null && secondary.has(PeakRssProfiler.LABEL)) {
            rss = secondary.getAsJsonObject(PeakRssProfiler.LABEL).get("score").getAsDouble();
        }
        return new JmhResult(benchmark, params, median, samples, rss);
    }

    /** Milliseconds in one unit of a time-per-operation score such as {@code ms/op}. */
    static double millisPer(String unit) {
        return switch (unit) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new UserError("JMH score unit '" + unit + "' is not a time per operation");
        };
    }
}
