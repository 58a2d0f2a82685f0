/**
 * Sampling for Stable Diffusion in plain Java: the training noise schedule, the DDIM and Euler
 * (discrete) schedulers with the settings diffusers uses for SD checkpoints, and the seeded
 * inputs of a denoising loop (initial latents, prompt embeddings). All scheduler math is in
 * double; only what goes into a graph is float32. The loop that runs a UNet graph on a backend
 * lives in the harness, because models never depend on backends.
 */
package org.attnbench.models.diffusion;
