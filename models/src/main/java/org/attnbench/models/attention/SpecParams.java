package org.attnbench.models.attention;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;

/** The key=value part of a variant spec, read with typed getters that name the key on error. */
final class SpecParams {
    private final String spec;
    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    SpecParams(String spec, Map<String, String> values) {
        this.spec = spec;
        this.values = values;
    }

    String spec() {
        return spec;
    }

    String string(String key, String fallback) {
        used.add(key);
        return values.getOrDefault(key, fallback);
    }

    String choice(String key, String fallback, List<String> allowed) {
        String v = string(key, fallback).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) throw bad(key, v, "one of " + String.join(", ", allowed));
        return v;
    }

    int positiveInt(String key, int fallback, boolean zeroAllowed) {
        String v = string(key, Integer.toString(fallback));
        try {
            int i = Integer.parseInt(v);
            if (i > 0 || (zeroAllowed && i == 0)) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(key, v, zeroAllowed ? "an integer >= 0" : "an integer >= 1");
    }

    long longValue(String key, long fallback) {
        String v = string(key, Long.toString(fallback));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    double fraction(String key, double fallback) {
        String v = string(key, Double.toString(fallback));
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d < 1) return d;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(key, v, "a number in [0, 1)");
    }

    boolean bool(String key, boolean fallback) {
        String v = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    void rejectUnused() {
        for (String key : values.keySet()) {
            if (!used.contains(key)) {
                throw new UserError("variant '" + spec + "': unknown key '" + key + "' (known here: "
                        + String.join(", ", used.stream().sorted().toList()) + ")");
            }
        }
    }

    private UserError bad(String key, String value, String allowed) {
        return new UserError("variant '" + spec + "': " + key + "=" + value + " is invalid; use " + allowed);
    }
}
