/**
 * Sampling in plain Java: the training noise schedule, diffusers' schedulers (PNDM, DDIM, Euler,
 * Euler ancestral, DPM-Solver++, flow-matching Euler) named with SD's settings or read from a
 * checkpoint's scheduler_config.json, and the seeded inputs of a denoising loop (initial latents,
 * prompt embeddings). Scheduler math is in double on diffusers' float32 training schedule; only
 * what goes into a graph is float32. The loop that runs a UNet graph on a backend
 * lives in the harness, because models never depend on backends.
 */
package org.attnbench.models.diffusion;
