/**
 * The report's tables, one class per table, each a Tablesaw table of formatted text: the summary
 * pivot, the papers' claims beside measured values with both sides' conditions, every cell, the
 * failed and skipped cells, the manifest and the baseline comparison. A cell that did not run
 * says "failed" or "skipped" with its reason, and a claim the run cannot check says "not
 * measured in this run"; no table leaves a blank or a zero in their place.
 */
package org.attnbench.reports.tables;
