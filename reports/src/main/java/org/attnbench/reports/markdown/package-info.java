/**
 * The Markdown report ({@code report.md}): the document the HTML page renders, in GitHub-flavoured
 * Markdown, with charts linked as PNG files of the same folder.
 */
package org.attnbench.reports.markdown;
