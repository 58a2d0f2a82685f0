/**
 * The report's charts, one class per chart kind, each drawn with XChart and saved as PNG and SVG
 * by {@link org.attnbench.reports.charts.ChartFiles}. A kind draws one chart per scope (workload
 * and model) it has data for, and returns a "left out" note with the reason for each it has not,
 * so a missing chart is explained rather than silent. All kinds share one look
 * ({@link org.attnbench.reports.charts.ChartStyle}) and one rule for series: colour is the
 * variant, line style and marker the backend.
 */
package org.attnbench.reports.charts;
