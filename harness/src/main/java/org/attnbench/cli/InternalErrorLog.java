package org.attnbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An internal error's one line on stderr and the log beside it: the stack trace goes to a file
 * in the system's temporary folder, whose path the line names, so CI keeps a short output and
 * the trace for a bug report.
 */
final class InternalErrorLog {
    private InternalErrorLog() {}

    /** Writes the log, prints the line and returns {@link ExitCode#INTERNAL_ERROR}; {@code hint} replaces the exception's text. */
    static int report(PrintWriter err, Throwable e, String[] args, String hint) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String what = hint != null ? hint : Main.firstLine(e.toString());
        String where;
        try {
            Path log = Files.createTempFile("attnbench-error-", ".log");
            Files.writeString(log, "attnbench " + String.join(" ", args) + "\n" + Instant.now() + ", Java "
                    + System.getProperty("java.runtime.version") + "\n\n" + trace, StandardCharsets.UTF_8);
            where = "stack trace in " + log;
        } catch (IOException | RuntimeException logFailed) {
            where = "the log could not be written (" + logFailed.getMessage() + "); set ATTNBENCH_DEBUG=1 for the stack trace";
        }
        err.println("internal error: " + what + " (" + where + ")");
        if (System.getenv("ATTNBENCH_DEBUG") != null) err.print(trace);
        err.flush();
        return ExitCode.INTERNAL_ERROR;
    }
}
