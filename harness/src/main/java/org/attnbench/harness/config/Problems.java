package org.attnbench.harness.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** The problems found in one config file, each located by line, column and key path. */
final class Problems {
    private final String file;
    private final List<String> lines = new ArrayList<>();

    /** @param file how messages name the text: its path, or "path (with --set)" */
    Problems(String file) {
        this.file = file;
    }

    void add(Mark mark, String path, String message) {
        String where = mark == null ? file : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        lines.add(where + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    void throwIfAny() {
        if (!lines.isEmpty()) throw new ConfigError(lines);
    }
}
