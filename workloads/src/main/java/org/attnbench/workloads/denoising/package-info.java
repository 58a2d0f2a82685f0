/**
 * The denoising loop a denoising workload times: {@link org.attnbench.workloads.denoising.DenoiserGraphs}
 * says which patched graph runs at each timestep (ToDo switches method by timestep), and
 * {@link org.attnbench.workloads.denoising.DenoisingLoop} compiles each once and steps the
 * scheduler with classifier-free guidance, timing every step.
 */
package org.attnbench.workloads.denoising;
