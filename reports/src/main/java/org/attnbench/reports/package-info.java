/** Reports written from a results folder: charts, tables, HTML and Markdown. */
package org.attnbench.reports;
