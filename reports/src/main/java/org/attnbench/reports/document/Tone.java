package org.attnbench.reports.document;

import java.util.Locale;

/**
 * How a table cell should stand out, read from its text: cells that say a measurement failed,
 * was skipped or is absent, and regressions or improvements against a baseline. Writers use it to
 * colour cells; the words themselves carry the meaning, so nothing is lost without colour.
 */
public enum Tone {
    PLAIN, FAILED, SKIPPED, ABSENT, WORSE, BETTER;

    public static final String FAILED_WORD = "failed";
    public static final String SKIPPED_WORD = "skipped";
    public static final String ABSENT_TEXT = "not measured in this run";
    public static final String WORSE_WORD = "regression";
    public static final String BETTER_WORD = "improvement";

    public static Tone of(String text) {
        if (text == null) return PLAIN;
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith(FAILED_WORD)) return FAILED;
        if (t.startsWith(SKIPPED_WORD)) return SKIPPED;
        if (t.startsWith(ABSENT_TEXT)) return ABSENT;
        if (t.startsWith(WORSE_WORD)) return WORSE;
        if (t.startsWith(BETTER_WORD)) return BETTER;
        return PLAIN;
    }

    /** The CSS class of the tone, or null for plain cells. */
    public String cssClass() {
        return this == PLAIN ? null : name().toLowerCase(Locale.ROOT);
    }
}
