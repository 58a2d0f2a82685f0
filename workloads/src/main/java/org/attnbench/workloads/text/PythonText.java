package org.attnbench.workloads.text;

import java.util.Locale;

/** Python's str methods that the pipelines apply to prompts, where Java's differ. */
final class PythonText {
    private static final int MAX_SHOWN = 200;

    private PythonText() {}

    /** {@code text.lower().strip()}: PixArt's caption preprocessing without clean_caption. */
    static String lowerStrip(String text) {
        return strip(text.toLowerCase(Locale.ROOT));
    }

    /** {@code str.strip()}: Python's whitespace (str.isspace) at both ends, which unlike Java's includes no-break spaces. */
    static String strip(String text) {
        int begin = 0;
        int end = text.length();
        while (begin < end && isSpace(text.charAt(begin))) begin++;
        while (end > begin && isSpace(text.charAt(end - 1))) end--;
        return text.substring(begin, end);
    }

    /** str.isspace for one character: Unicode White_Space, plus the separators U+001C..U+001F. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** A text fit for a one-line message: line breaks shown as spaces, long ones shortened. */
    static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_SHOWN ? flat : flat.substring(0, MAX_SHOWN) + "...";
    }
}
