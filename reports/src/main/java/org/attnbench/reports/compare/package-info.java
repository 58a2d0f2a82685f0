/**
 * Comparing two runs cell by cell, in the manner of asv's compare: what changed, by how much,
 * whether the change is significant, and whether it is a regression. The regression gate and
 * the baseline charts of a report both read it.
 */
package org.attnbench.reports.compare;
