/**
 * One measurable thing on one backend. A {@link org.attnbench.workloads.Cell} is a variant at one
 * {@link org.attnbench.workloads.Point} of a {@link org.attnbench.workloads.Workload} (an attention
 * block at one grid, a denoiser at one image size, a machine ceiling) on one backend, device and
 * dtype; {@link org.attnbench.workloads.CellWorkloads} makes it ready to time: the graphs built and
 * compiled, the inputs seeded. Each kind is one class behind
 * {@link org.attnbench.workloads.CellWorkload}; whoever times it (the sweep's JMH fork, the
 * {@code attention} and {@code unet} commands) calls {@code runOnce} and then asks for the
 * fidelity outputs, untimed.
 */
package org.attnbench.workloads;
