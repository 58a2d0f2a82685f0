package org.attnbench.backend.onnxruntime;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.core.UserError;

/**
 * Node times of the last run in an ONNX Runtime profile: a JSON array of trace events, where
 * each run is a "model_run" event and each node's kernel a "NODE_kernel_time" event inside it.
 */
final class OrtProfile {
    private static final String KERNEL = "_kernel_time";

    private OrtProfile() {}

    /** Milliseconds by node name, summed over the kernels of the last run in the file. */
    static Map<String, Double> lastRun(Path file) {
        JsonArray events;
        try (Reader r = Files.newBufferedReader(file)) {
            events = JsonParser.parseReader(r).getAsJsonArray();
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read ONNX Runtime's profile " + file + ": " + e.getMessage());
        }
        long start = -1;
        long end = -1;
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (name(o).equals("model_run") && ts(o) > start) {
                start = ts(o);
                end = start + o.get("dur").getAsLong();
            }
        }
        Map<String, Double> millis = new LinkedHashMap<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            String name = name(o);
            if (name.endsWith(KERNEL) && ts(o) >= start && ts(o) <= end) {
                millis.merge(name.substring(0, name.length() - KERNEL.length()), o.get("dur").getAsLong() / 1e3, Double::sum);
            }
        }
        return millis;
    }

    private static String name(JsonObject o) {
        return o.has("name") ? o.get("name").getAsString() : "";
    }

    private static long ts(JsonObject o) {
        return o.has("ts") ? o.get("ts").getAsLong() : -1;
    }
}
