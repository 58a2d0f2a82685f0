package org.attnbench.harness.config;

import java.util.Map;
import java.util.Set;

/**
 * An {@code exclude} rule: a cell is left out when every key of the rule matches it. Variants
 * match by their canonical spelling ({@code dense:kernel=fused}) or by {@code family}.
 */
public record Exclude(Map<String, String> match, String path) {
    public static final Set<String> KEYS = Set.of("backend", "device", "dtype", "workload", "grid", "resolution", "model",
            "variant", "family", "kernel");

    public Exclude {
        match = Map.copyOf(match);
    }

    /** Whether the rule matches a cell described by the same keys. */
    public boolean matches(Map<String, String> cell) {
        return match.entrySet().stream().allMatch(e -> e.getValue().equalsIgnoreCase(cell.getOrDefault(e.getKey(), "")));
    }
}
