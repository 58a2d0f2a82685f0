/**
 * A run as reports read it: {@link org.attnbench.reports.data.RunData} (manifest, rows and the
 * lookups charts share), {@link org.attnbench.reports.data.Scope} (which cells share a chart),
 * and the labels and number formats every chart and table uses, so one cell reads the same
 * everywhere in a report.
 */
package org.attnbench.reports.data;
