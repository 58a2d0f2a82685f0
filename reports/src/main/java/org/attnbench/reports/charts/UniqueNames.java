package org.attnbench.reports.charts;

import java.util.HashSet;
import java.util.Set;

/**
 * Series and category names made unique ("name", "name (2)", ...): XChart refuses a series name
 * twice, and two cells can share a short label when they differ only in something labels leave
 * out (a batch size, say).
 */
final class UniqueNames {
    private final Set<String> used = new HashSet<>();

    String of(String name) {
        String n = name;
        for (int i = 2; !used.add(n); i++) n = name + " (" + i + ")";
        return n;
    }
}
