package org.attnbench.harness.config;

import org.attnbench.harness.features.ExtractorSpec;

/**
 * How outputs are compared.
 *
 * @param reference the variant each cell is compared with (speedup and fidelity) on the same
 *     backend, device, dtype and workload; a token-reduction variant is compared with the
 *     reference on its own dense kernel when the sweep has that cell
 * @param samples inputs (seeds) per cell whose outputs are compared, in an untimed pass
 * @param saveOutputs whether each cell's outputs are kept in its folder (for image grids)
 * @param extractor the image features behind FID-like and KID scores of decoded images, or null for none
 */
public record FidelitySettings(String reference, int samples, boolean saveOutputs, ExtractorSpec extractor) {
    public static final FidelitySettings DEFAULT = new FidelitySettings("dense", 1, true, null);
}
