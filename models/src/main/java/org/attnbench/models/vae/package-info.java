/**
 * The decoder half of diffusers' AutoencoderKL as a graph, to turn sampled latents into images
 * when real VAE weights are supplied: {@link org.attnbench.models.vae.VaeConfig} reads its
 * config.json, {@link org.attnbench.models.vae.VaeDecoder} builds the graph from the layers the
 * UNet builder uses, and {@link org.attnbench.models.vae.Png} writes the result.
 */
package org.attnbench.models.vae;
