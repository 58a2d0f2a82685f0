package org.attnbench.harness.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/** The problems found in one config file, each located by line, column and key path. */
final class Problems {
    private final String file;
    private final List<Problem> found = new ArrayList<>();

    /** @param file how messages name the text: its path, or "path (with --set)" */
    Problems(String file) {
        this.file = file;
    }

    void add(Mark mark, String path, String message) {
        found.add(place(mark, path).withMessage(message));
    }

    /** Where a node is, as a problem without a message yet. */
    Problem place(Mark mark, String path) {
        return mark == null ? new Problem(file, 0, 0, path, "") : new Problem(file, mark.getLine() + 1, mark.getColumn() + 1, path, "");
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    void throwIfAny() {
        if (!found.isEmpty()) throw new ConfigError(found);
    }
}
