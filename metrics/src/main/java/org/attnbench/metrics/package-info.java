/** Metrics read from runs: timing statistics, memory, cost against the hardware limit, fidelity. */
package org.attnbench.metrics;
