/**
 * Memory a run needs: the process's peak resident set (VmHWM), the Java heap's peak, and CUDA
 * device memory sampled over a window; each resettable, so a phase can be measured on its own.
 */
package org.attnbench.metrics.memory;
