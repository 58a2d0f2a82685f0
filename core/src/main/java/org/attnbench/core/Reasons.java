package org.attnbench.core;

import java.nio.charset.CharacterCodingException;
import java.util.regex.Pattern;

/**
 * A library exception's message as a user should read it: without the class names that parsers
 * put in front ({@code java.io.EOFException: End of input at line 2 column 1}), and in words
 * where the message alone says nothing (a decoder's {@code Input length = 1}).
 */
public final class Reasons {
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error):\\s*");

    private Reasons() {}

    public static String of(Throwable e) {
        if (e instanceof CharacterCodingException) return "not UTF-8 text";
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getCause() != null && e.getCause() != e ? of(e.getCause()) : "no details";
        String before;
        do {
            before = m;
            m = CLASS_PREFIX.matcher(m).replaceFirst("");
        } while (!m.equals(before));
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
