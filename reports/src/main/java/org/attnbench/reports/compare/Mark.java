package org.attnbench.reports.compare;

/** asv's marks for one compared value. */
public enum Mark {
    /** Worse beyond the threshold and significant: a regression. */
    WORSE("+"),
    /** Better beyond the threshold and significant. */
    BETTER("-"),
    /** Beyond the threshold but not significant. */
    NOT_SIGNIFICANT("~"),
    /** Within the threshold. */
    SAME(" "),
    /** Ran in the baseline, failed (or is missing) now: a regression. */
    FAILED("x");

    private final String symbol;

    Mark(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean regression() {
        return this == WORSE || this == FAILED;
    }
}
