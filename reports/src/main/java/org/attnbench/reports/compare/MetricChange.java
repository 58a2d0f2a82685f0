package org.attnbench.reports.compare;

/**
 * One value of one cell in both runs.
 *
 * @param cellId the cell's id (equal in both runs)
 * @param label a short readable name of the cell
 * @param metric {@code speedup}, {@code time_per_gemm}, {@code time_ms}, {@code status} or a fidelity metric
 * @param before the baseline's value (NaN when it did not run)
 * @param after this run's value (NaN when it did not run)
 * @param pValue Mann-Whitney U p-value for timed values, NaN for deterministic ones
 * @param mark the verdict
 * @param gated whether this value can fail the gate
 * @param threshold for a value judged by the baseline runs' spread, the ratio beyond which it counts
 *     (before is then their geometric mean); NaN otherwise
 */
public record MetricChange(String cellId, String label, String metric, double before, double after, double pValue,
        Mark mark, boolean gated, double threshold) {

    /** after / before. */
    public double ratio() {
        return after / before;
    }
}
