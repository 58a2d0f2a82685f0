package org.attnbench.reports.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored variant spec ({@code family:key=value,...}) taken apart as written, so reports can read
 * a factor or a ratio from any run's rows, even one whose spec no method reads any more.
 */
public record Variant(String family, Map<String, String> params) {

    public static Variant parse(String spec) {
        if (spec == null || spec.isBlank()) return new Variant("-", Map.of());
        int colon = spec.indexOf(':');
        String family = colon < 0 ? spec.trim() : spec.substring(0, colon).trim();
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String kv : spec.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) params.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new Variant(family, Map.copyOf(params));
    }

    public String param(String key, String fallback) {
        return params.getOrDefault(key, fallback);
    }

    /** A numeric parameter, NaN when absent or not a number. */
    public double number(String key) {
        try {
            return Double.parseDouble(params.getOrDefault(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
