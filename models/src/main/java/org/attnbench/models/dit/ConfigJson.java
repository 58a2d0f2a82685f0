package org.attnbench.models.dit;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;
import org.attnbench.models.ConfigText;
import org.attnbench.models.SizeLimits;

/**
 * A model's config.json (a DiT's in diffusers, a text encoder's in transformers), read strictly: every
 * key is implemented, bookkeeping, or fixed at the one value the builder implements; any other key or
 * value is refused by name.
 */
public record ConfigJson(String name, JsonObject json) {

    /** A bundled config ({@code /dit/NAME.json}) or a config.json on disk. */
    static ConfigJson load(String nameOrPath, List<String> bundled) {
        ConfigText config = ConfigText.read(nameOrPath, "dit", bundled);
        return parse(config.name(), config.text());
    }

    public static ConfigJson parse(String name, String text) {
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) throw new UserError("config " + name + " is not a JSON object");
            return new ConfigJson(name, root.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new UserError("config " + name + " is not a valid config.json: " + Reasons.of(e));
        }
    }

    /** Whether {@code nameOrPath} is bundled or a readable config.json whose {@code _class_name} is one of {@code classes}. */
    static boolean isOfClass(String nameOrPath, List<String> bundled, List<String> classes) {
        if (bundled.contains(nameOrPath)) return true;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(Path.of(nameOrPath)));
            JsonElement cls = root.isJsonObject() ? root.getAsJsonObject().get("_class_name") : null;
            return cls != null && classes.contains(cls.getAsString());
        } catch (IOException | RuntimeException e) {
            return false; // not readable as such a config: another loader reports it
        }
    }

    /** Refuses a key that is neither bookkeeping nor implemented, and a fixed key at another value. */
    public void checkKeys(Set<String> bookkeeping, Set<String> implemented, Map<String, JsonElement> fixed) {
        for (Map.Entry<String, JsonElement> e : new TreeMap<>(json.asMap()).entrySet()) {
            String key = e.getKey();
            if (bookkeeping.contains(key) || implemented.contains(key)) continue;
            JsonElement only = fixed.get(key);
            if (only == null) throw new UserError("config " + name + ": unknown key '" + key + "'");
            if (!only.equals(e.getValue())) {
                throw new UserError("config " + name + ": " + key + "=" + e.getValue() + " is not supported; only "
                        + only + " is implemented");
            }
        }
    }

    /** The value of {@code key}, or null when absent or JSON null. */
    public JsonElement get(String key) {
        JsonElement e = json.get(key);
        return e == null || e instanceof JsonNull ? null : e;
    }

    /** A positive integer within {@link SizeLimits#forConfigKey}, or {@code fallback} when absent. */
    public int integer(String key, int fallback) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() < 1) {
            throw new UserError("config " + name + ": " + key + " must be a positive integer, got " + e);
        }
        int max = SizeLimits.forConfigKey(key);
        if (e.getAsDouble() > max) {
            throw new UserError("config " + name + ": " + key + " " + e + " is beyond attnbench's limit of " + max
                    + " (far above any real model's)");
        }
        return e.getAsInt();
    }

    public double number(String key, double fallback) {
        JsonElement e = get(key);
        if (e == null) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new UserError("config " + name + ": " + key + " must be a number, got " + e);
        }
        return e.getAsDouble();
    }
}
