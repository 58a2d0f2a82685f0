package org.attnbench.harness.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** The problems found in one config file, each located by line, column and key path. */
final class Problems {
    private final Path file;
    private final List<String> lines = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(Mark mark, String path, String message) {
        String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        lines.add(where + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    void throwIfAny() {
        if (!lines.isEmpty()) throw new ConfigError(lines);
    }
}
