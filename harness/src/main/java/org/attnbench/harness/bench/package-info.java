/**
 * JMH benchmarks of the attention variants and the backend's GEMM ceiling, and the runner that
 * turns JMH's JSON into a table: median time, GFLOP/s, fraction of the GEMM rate, speedup over
 * dense with the same kernel, and peak resident memory of the forked JVM.
 */
package org.attnbench.harness.bench;
