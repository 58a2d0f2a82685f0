/**
 * Timing a cell with JMH: {@link org.attnbench.harness.jmh.CellBenchmark} runs inside the forked
 * JVM (one per cell, so no cell's memory or JIT state leaks into the next), and
 * {@link org.attnbench.harness.jmh.JmhCellRunner} starts it through JMH's Runner and reads back
 * the samples, JMH's own JSON, and what the fork measured besides time ({@link org.attnbench.harness.jmh.ForkReport}).
 */
package org.attnbench.harness.jmh;
