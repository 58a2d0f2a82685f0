package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import java.util.regex.Pattern;
import org.attnbench.core.UserError;

/** Turns ONNX Runtime's multi-line native errors into one-line user errors. */
final class OrtErrors {
    /** The Java binding's prefix on native errors; the status code adds nothing for a user. */
    private static final Pattern CODE_PREFIX = Pattern.compile("^Error code - \\w+ - message: ");

    private OrtErrors() {}

    static UserError userError(String what, OrtException e) {
        return new UserError("ONNX Runtime " + what + ": " + firstLine(e.getMessage()), e);
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) return "no message";
        String m = message.strip();
        int nl = m.indexOf('\n');
        String line = nl < 0 ? m : m.substring(0, nl).strip();
        return CODE_PREFIX.matcher(line).replaceFirst("");
    }
}
