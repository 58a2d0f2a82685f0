/**
 * Reports written from a results folder: {@link org.attnbench.reports.Report#write} turns one run
 * (and optionally a baseline run) into a static folder of HTML, Markdown, charts and images.
 *
 * <p>Packages by role: {@code data} reads a run, {@code charts} and {@code tables} and
 * {@code images} make the content, {@code document} holds it, {@code html} and {@code markdown}
 * write it, and {@code compare} compares two runs (also used by the regression gate).
 */
package org.attnbench.reports;
