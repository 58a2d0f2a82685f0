package org.attnbench.core;

/**
 * A mistake in what the user gave us (a file, a flag, a config value). The CLI prints its
 * message as one line and exits with code 2, without a stack trace; the message names the
 * problem and, where there is one, the fix.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
