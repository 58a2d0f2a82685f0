package org.attnbench.store;

/** How a cell ended. A failed or skipped cell keeps its row, with the reason, so reports show it. */
public enum CellStatus {
    /** Measured. */
    OK,
    /** Tried and failed (out of memory, a device error, a backend error); the reason is in the row. */
    FAILED,
    /** Not tried because it cannot run here (an op the backend lacks, a dtype it refuses). */
    SKIPPED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
