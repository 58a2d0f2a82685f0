package org.attnbench.store;

import java.util.Map;

/**
 * One cell's result: what ran, how it ended, and what was measured. Sections that were not
 * measured are their {@code NONE} values (NaN numbers), never zero, so a report can tell a failed
 * or unmeasured cell from a fast one.
 *
 * @param cell what ran
 * @param status how it ended
 * @param error why it failed or was skipped (one line), null when it ran
 * @param timing samples and statistics, null unless it ran
 * @param speedup against {@link CellInfo#referenceId()}, measured in the same run
 * @param memory host and device memory
 * @param cost work and distance to the machine's limits
 * @param quality fidelity against the reference's outputs
 * @param settings the settings the backend actually used (threads, providers, ...)
 * @param files files of this cell relative to the run folder, by kind ({@code jmh}, {@code log}, {@code outputs})
 * @param startedAt ISO-8601 time the cell started
 * @param finishedAt ISO-8601 time the cell finished
 */
public record ResultRow(CellInfo cell, CellStatus status, String error, Timing timing, Speedup speedup, Memory memory,
        Cost cost, Quality quality, Map<String, String> settings, Map<String, String> files, String startedAt,
        String finishedAt) {

    public ResultRow {
        speedup = speedup == null ? Speedup.NONE : speedup;
        memory = memory == null ? Memory.NONE : memory;
        cost = cost == null ? Cost.NONE : cost;
        quality = quality == null ? Quality.NONE : quality;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    public static ResultRow failed(CellInfo cell, CellStatus status, String error, String startedAt, String finishedAt) {
        return new ResultRow(cell, status, error, null, null, null, null, null, null, null, startedAt, finishedAt);
    }

    public boolean ok() {
        return status == CellStatus.OK;
    }

    /** The median in milliseconds, NaN unless the cell ran. */
    public double medianMs() {
        return timing == null ? Double.NaN : timing.medianMs();
    }

    public ResultRow withFiles(Map<String, String> f) {
        return new ResultRow(cell, status, error, timing, speedup, memory, cost, quality, settings, f, startedAt, finishedAt);
    }

    public ResultRow withCost(Cost c) {
        return new ResultRow(cell, status, error, timing, speedup, memory, c, quality, settings, files, startedAt, finishedAt);
    }

    public ResultRow withQuality(Quality q) {
        return new ResultRow(cell, status, error, timing, speedup, memory, cost, q, settings, files, startedAt, finishedAt);
    }
}
