package org.attnbench.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes every command shares, so CI can tell a slower commit from a broken run. Each
 * command's {@code --help} lists them (set once in {@link Main} for every subcommand).
 */
public final class ExitCode {
    /** Done: the run finished, the comparison or gate passed, the config is valid. */
    public static final int OK = 0;
    /** A check failed: a regression (compare, gate) or a failing case (conformance). */
    public static final int CHECK_FAILED = 1;
    /** A mistake in what was given: a flag, a file, a config; one {@code error:} line says which. */
    public static final int USER_ERROR = 2;
    /** Cells failed (recorded with their reasons): the run is incomplete; takes precedence over 1. */
    public static final int FAILED_CELLS = 3;
    /** An internal error: a bug or the machine; the one line names the log with the stack trace. */
    public static final int INTERNAL_ERROR = 4;

    private ExitCode() {}

    /** The list picocli prints under "Exit codes:" in every command's help. */
    static Map<String, String> helpList() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OK + "", "Done: the run finished, the check passed, the config is valid.");
        m.put(CHECK_FAILED + "", "A check failed: a regression (compare, gate), a failing case (conformance).");
        m.put(USER_ERROR + "", "A mistake in what was given (flag, file, config): one 'error:' line each.");
        m.put(FAILED_CELLS + "", "Cells failed, recorded with their reasons (takes precedence over 1).");
        m.put(INTERNAL_ERROR + "", "Internal error: the line names the log file with the stack trace.");
        return m;
    }
}
