package org.attnbench.reports;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.attnbench.core.UserError;

/** The files a report is written as. */
public enum Format {
    /** {@code index.html}: one static page, stylesheet embedded. */
    HTML,
    /** {@code report.md}: GitHub-flavoured Markdown with the same content. */
    MARKDOWN;

    /** Both formats, the default. */
    public static Set<Format> both() {
        return EnumSet.allOf(Format.class);
    }

    /** {@code html}, {@code md} or {@code both}, as the command line spells them. */
    public static Set<Format> parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "html" -> EnumSet.of(HTML);
            case "md", "markdown" -> EnumSet.of(MARKDOWN);
            case "both" -> both();
            default -> throw new UserError("unknown report format '" + text + "': use html, md or both");
        };
    }
}
