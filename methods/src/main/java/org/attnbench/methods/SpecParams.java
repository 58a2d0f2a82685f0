package org.attnbench.methods;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.attention.Kernel;

/**
 * The key=value part of one method's spec, read with typed getters that name the key on error; a
 * method's parser reads its keys through these, and a key no parser read is refused.
 */
public final class SpecParams {
    private final String spec;
    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    public SpecParams(String spec, Map<String, String> values) {
        this.spec = spec;
        this.values = values;
    }

    public String spec() {
        return spec;
    }

    public String string(String key, String fallback) {
        used.add(key);
        return values.getOrDefault(key, fallback);
    }

    public String choice(String key, String fallback, List<String> allowed) {
        String v = string(key, fallback).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) throw bad(key, v, "one of " + String.join(", ", allowed));
        return v;
    }

    public int positiveInt(String key, int fallback, boolean zeroAllowed) {
        String v = string(key, Integer.toString(fallback));
        try {
            int i = Integer.parseInt(v);
            if (i > 0 || (zeroAllowed && i == 0)) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(key, v, zeroAllowed ? "an integer >= 0" : "an integer >= 1");
    }

    public long longValue(String key, long fallback) {
        String v = string(key, Long.toString(fallback));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer");
        }
    }

    public double fraction(String key, double fallback) {
        String v = string(key, Double.toString(fallback));
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d < 1) return d;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad(key, v, "a number in [0, 1)");
    }

    public boolean bool(String key, boolean fallback) {
        String v = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    /** The dense kernel keys every token method takes: {@code kernel} (matmul, fused) and {@code slice}. */
    public Kernel kernel() {
        Kernel kernel = new Kernel(choice("kernel", "matmul", Kernel.NAMES), positiveInt("slice", 0, true));
        if (kernel.name().equals("fused") && kernel.slice() > 0) {
            throw new UserError("variant '" + spec + "': slice applies to kernel=matmul only (fused has its own tiling)");
        }
        return kernel;
    }

    /** A UserError for a value out of range, naming what is allowed. */
    public UserError bad(String key, Object value, String allowed) {
        return new UserError("variant '" + spec + "': " + key + "=" + value + " is invalid; use " + allowed);
    }

    public void rejectUnused() {
        for (String key : values.keySet()) {
            if (!used.contains(key)) {
                throw new UserError("variant '" + spec + "': unknown key '" + key + "' (known here: "
                        + String.join(", ", used.stream().sorted().toList()) + ")");
            }
        }
    }

}
