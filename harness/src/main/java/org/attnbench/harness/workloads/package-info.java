/**
 * What one cell runs, ready to time: the graph built, compiled and given its inputs. Each kind
 * (attention block, UNet denoising loop, GEMM and copy ceilings) is one class behind
 * {@link org.attnbench.harness.workloads.CellWorkload}; the JMH benchmark times
 * {@code runOnce} and then asks for the fidelity outputs, untimed.
 */
package org.attnbench.harness.workloads;
