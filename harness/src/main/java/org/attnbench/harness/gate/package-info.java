/**
 * The regression gate: a run compared with a committed baseline (speedups over dense and
 * fidelity, which travel between machines; absolute times only when asked), and the baseline
 * rewritten on purpose.
 */
package org.attnbench.harness.gate;
