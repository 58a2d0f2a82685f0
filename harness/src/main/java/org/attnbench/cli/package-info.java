/**
 * The {@code attnbench} command line (picocli). Commands print results on stdout; a user's
 * mistake becomes one {@code error: ...} line on stderr and exit code 2, never a stack trace.
 */
package org.attnbench.cli;
