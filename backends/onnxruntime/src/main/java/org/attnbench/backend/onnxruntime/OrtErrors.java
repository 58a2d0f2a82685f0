package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OrtException;
import org.attnbench.core.UserError;

/** Turns ONNX Runtime's multi-line native errors into one-line user errors. */
final class OrtErrors {
    private OrtErrors() {}

    static UserError userError(String what, OrtException e) {
        return new UserError("ONNX Runtime " + what + ": " + firstLine(e.getMessage()), e);
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) return "no message";
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
