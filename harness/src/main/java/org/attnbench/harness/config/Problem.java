package org.attnbench.harness.config;

/**
 * One problem of a config, where it is: the file (or "FILE (with --set)"), its line and column
 * (0 when the problem belongs to no one place in the file: it cannot be read, or a flag), the
 * key's path, and what is wrong with the fix.
 */
public record Problem(String file, int line, int column, String path, String message) {

    /** A problem of the whole file, at no one place. */
    public static Problem of(String file, String message) {
        return new Problem(file, 0, 0, "", message);
    }

    /** The same place with another message. */
    public Problem withMessage(String text) {
        return new Problem(file, line, column, path, text);
    }

    /** The one line the CLI prints after "error: ", e.g. {@code c.yaml:3:12: backends[0]: unknown backend 'djll'}. */
    @Override
    public String toString() {
        String where = line == 0 ? file : file + ":" + line + ":" + column;
        return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
