/**
 * The {@code attnbench} command line (picocli). Commands print results on stdout; a user's
 * mistake becomes one {@code error: ...} line on stderr and exit code 2, never a stack trace.
 * {@link org.attnbench.cli.Main} gives every command, one added later too, the same handling: the
 * exit codes of {@link org.attnbench.cli.ExitCode} (listed in its help), numeric flags checked by
 * {@link org.attnbench.cli.NumericOptions}, output paths by {@link org.attnbench.cli.OutputOptions},
 * and internal errors logged to a file that the one line names.
 */
package org.attnbench.cli;
