/**
 * The report as a document: sections of paragraphs, figures, tables, lists and "left out" notes.
 * Content is assembled once and handed to each writer (HTML, Markdown), which is what keeps the
 * two formats in step.
 */
package org.attnbench.reports.document;
