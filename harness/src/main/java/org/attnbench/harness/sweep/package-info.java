/**
 * Running a sweep: cells in plan order, each timed in its own JVM, each recorded in the run
 * folder the moment it finishes (so a killed run resumes with no cell lost or repeated), a
 * progress bar with ETA, shards of a larger sweep and their merge.
 */
package org.attnbench.harness.sweep;
