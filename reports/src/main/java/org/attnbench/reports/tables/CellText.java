package org.attnbench.reports.tables;

import java.util.Locale;
import org.attnbench.reports.document.Tone;
import org.attnbench.store.ResultRow;

/** The words a table cell uses for a cell that did not run, so "failed" never reads as a blank or a zero. */
final class CellText {
    private CellText() {}

    /** "failed" or "skipped". */
    static String status(ResultRow r) {
        return r.status().label();
    }

    /** "failed: out of memory", "skipped: op missing", or "ok". */
    static String statusWithReason(ResultRow r) {
        if (r.ok()) return "ok";
        String reason = r.error() == null || r.error().isBlank() ? "no reason recorded" : r.error().strip();
        return r.status().label() + ": " + reason;
    }

    /** A short form of the reason for narrow pivot cells. */
    static String shortStatus(ResultRow r, int max) {
        String s = statusWithReason(r);
        return s.length() <= max ? s : s.substring(0, max - 1).stripTrailing() + "…";
    }

    static String absent() {
        return Tone.ABSENT_TEXT;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
