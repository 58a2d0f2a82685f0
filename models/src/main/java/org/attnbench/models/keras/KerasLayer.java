package org.attnbench.models.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.core.UserError;

/**
 * One layer of a Keras functional model as its topology describes it: name, class, config and
 * the layers it reads (in order). Only single-call layers are supported: a layer used twice
 * (shared weights) has several inbound nodes and is refused when read.
 */
public record KerasLayer(String name, String className, JsonObject config, List<String> inbound) {
    public KerasLayer {
        inbound = List.copyOf(inbound);
    }

    static KerasLayer parse(JsonObject json) {
        String name = json.get("name").getAsString();
        String className = json.get("class_name").getAsString();
        List<String> inbound = new ArrayList<>();
        var nodes = json.getAsJsonArray("inbound_nodes");
        if (nodes.size() > 1) {
            throw new UserError("layer '" + name + "' is called " + nodes.size() + " times (shared layers are not supported)");
        }
        if (nodes.size() == 1) {
            for (JsonElement in : nodes.get(0).getAsJsonArray()) inbound.add(in.getAsJsonArray().get(0).getAsString());
        }
        return new KerasLayer(name, className, json.getAsJsonObject("config"), inbound);
    }

    public String string(String key) {
        JsonElement v = config.get(key);
        if (v == null || v.isJsonNull()) throw new UserError("layer '" + name + "' has no config '" + key + "'");
        return v.getAsString();
    }

    public String string(String key, String fallback) {
        JsonElement v = config.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsString();
    }

    public boolean flag(String key, boolean fallback) {
        JsonElement v = config.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsBoolean();
    }

    public double number(String key, double fallback) {
        JsonElement v = config.get(key);
        return v == null || v.isJsonNull() ? fallback : v.getAsDouble();
    }

    /** An integer pair such as kernel_size or strides ([h, w]); a single number means both. */
    public long[] pair(String key, long fallback) {
        JsonElement v = config.get(key);
        if (v == null || v.isJsonNull()) return new long[] {fallback, fallback};
        if (v.isJsonPrimitive()) return new long[] {v.getAsLong(), v.getAsLong()};
        var a = v.getAsJsonArray();
        return new long[] {a.get(0).getAsLong(), a.get(a.size() - 1).getAsLong()};
    }

    /** The one layer this layer reads. */
    public String onlyInput() {
        if (inbound.size() != 1) {
            throw new UserError("layer '" + name + "' (" + className + ") reads " + inbound.size() + " inputs, expected 1");
        }
        return inbound.get(0);
    }
}
