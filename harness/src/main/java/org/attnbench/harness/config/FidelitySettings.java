package org.attnbench.harness.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.attnbench.methods.Variant;
import org.attnbench.workloads.features.ExtractorSpec;

/**
 * How outputs are compared.
 *
 * @param reference the variant each cell is compared with (speedup and fidelity) on the same
 *     backend, device, dtype and workload; a token-reduction variant is compared with the
 *     reference on its own dense kernel when the sweep has that cell
 * @param samples inputs (seeds) per cell whose outputs are compared, in an untimed pass
 * @param saveOutputs whether each cell's outputs are kept in its folder (for image grids)
 * @param extractor the image features behind FID-like and KID scores of decoded images, or null for none
 * @param metrics which values to compute and record (the others stay unmeasured)
 * @param referenceImages a folder of reference images (e.g. COCO val2014) every cell's decoded images
 *     are scored against with the extractor (FID and KID, fid_set and kid_set), or null
 * @param clip a transformers CLIPModel folder: every cell's decoded images are scored against the
 *     prompts they were sampled from (CLIP score, clip_score), or null
 * @param saveImages whether each cell's decoded images (PNG) are kept in its folder
 */
public record FidelitySettings(Variant reference, int samples, boolean saveOutputs, ExtractorSpec extractor,
        Set<String> metrics, Path referenceImages, Path clip, boolean saveImages) {
    /** Every metric a cell can record, in the order of the rows' columns. */
    public static final List<String> METRICS = List.of("mse", "psnr_db", "cosine", "max_abs", "rel_l2", "hpf", "fid_like", "kid",
            "fid_set", "kid_set", "clip_score");
    public static final FidelitySettings DEFAULT = new FidelitySettings(Variant.parse("dense"), 1, true, null, Set.copyOf(METRICS),
            null);

    public FidelitySettings {
        metrics = Set.copyOf(metrics);
    }

    /** Without CLIP scores; images kept with the outputs. */
    public FidelitySettings(Variant reference, int samples, boolean saveOutputs, ExtractorSpec extractor, Set<String> metrics,
            Path referenceImages) {
        this(reference, samples, saveOutputs, extractor, metrics, referenceImages, null, saveOutputs);
    }
}
