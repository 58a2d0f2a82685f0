/**
 * The HTML report: one self-contained {@code index.html} (stylesheet embedded, no scripts, no
 * external resources, relative links only) rendered from the report's document.
 */
package org.attnbench.reports.html;
