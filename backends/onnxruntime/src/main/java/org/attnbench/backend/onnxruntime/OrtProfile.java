package org.attnbench.backend.onnxruntime;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
        List<Map<String, Double>> runs = runs(file);
        return runs.isEmpty() ? Map.of() : runs.get(runs.size() - 1);
    }

    /**
     * Each run's node times, in the order the runs happened. An If node's own time is left out:
     * it is the time of the branch it ran, whose nodes are timed themselves.
     */
    static List<Map<String, Double>> runs(Path file) {
        JsonArray events;
        try (Reader r = Files.newBufferedReader(file)) {
            events = JsonParser.parseReader(r).getAsJsonArray();
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot read ONNX Runtime's profile " + file + ": " + e.getMessage());
        }
        List<long[]> windows = new ArrayList<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (name(o).equals("model_run")) windows.add(new long[] {ts(o), ts(o) + o.get("dur").getAsLong()});
        }
        windows.sort(Comparator.comparingLong(w -> w[0]));
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) runs.add(new LinkedHashMap<>());
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            String name = name(o);
            if (!name.endsWith(KERNEL) || opName(o).equals("If")) continue;
            for (int i = 0; i < windows.size(); i++) {
                if (ts(o) >= windows.get(i)[0] && ts(o) <= windows.get(i)[1]) {
                    runs.get(i).merge(name.substring(0, name.length() - KERNEL.length()), o.get("dur").getAsLong() / 1e3,
                            Double::sum);
                }
            }
        }
        return runs;
    }

    private static String opName(JsonObject o) {
        JsonObject args = o.has("args") && o.get("args").isJsonObject() ? o.getAsJsonObject("args") : null;
        return args != null && args.has("op_name") ? args.get("op_name").getAsString() : "";
    }

    private static String name(JsonObject o) {
        return o.has("name") ? o.get("name").getAsString() : "";
    }

    private static long ts(JsonObject o) {
        return o.has("ts") ? o.get("ts").getAsLong() : -1;
    }
}
