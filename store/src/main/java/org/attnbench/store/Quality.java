package org.attnbench.store;

/**
 * How far a cell's outputs are from its reference cell's outputs for the same inputs; NaN where
 * not measured. MSE, PSNR, cosine, max and relative error are averaged over the fidelity samples.
 *
 * @param samples how many inputs (seeds) were compared
 * @param mse mean squared error (the ToDo paper's Table 1 metric)
 * @param psnrDb PSNR in dB against the reference's value range
 * @param cosine cosine similarity of the flattened outputs
 * @param maxAbs largest absolute difference
 * @param relL2 ||out - ref|| / ||ref||
 * @param hpf high-frequency detail of this cell's outputs (mean |x - G(x)|, see metrics' HighFrequency)
 * @param hpfReference the same for the reference's outputs
 * @param fidLike Frechet distance between the features of this cell's and the reference's images,
 *     labelled FID-like: the extractor is not the standard FID Inception unless it says so
 * @param kid KID mean over subsets
 * @param extractor the feature extractor behind every feature score of the row (fidLike, kid and
 *     {@code referenceSet}'s), or null
 * @param referenceSet this cell's images scored against the sweep's reference image set, or null
 */
public record Quality(int samples, double mse, double psnrDb, double cosine, double maxAbs, double relL2, double hpf,
        double hpfReference, double fidLike, double kid, String extractor, SetScores referenceSet) {
    public static final Quality NONE = new Quality(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null);

    /** Only the high-frequency detail of a cell's own outputs: no reference outputs to compare with. */
    public static Quality detailOnly(int samples, double hpf) {
        return new Quality(samples, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, hpf, Double.NaN,
                Double.NaN, Double.NaN, null, null);
    }

    /** The same with the reference-set scores (and the extractor that made them). */
    public Quality withReferenceSet(SetScores scores, String extractorLabel) {
        return new Quality(samples, mse, psnrDb, cosine, maxAbs, relL2, hpf, hpfReference, fidLike, kid,
                extractor != null ? extractor : extractorLabel, scores);
    }

    /**
     * A cell's images against a fixed set of reference images (e.g. COCO val2014), the way papers
     * report FID: one number per cell, the reference included.
     *
     * @param name the set's folder name
     * @param setImages images in the set
     * @param cellImages the cell's images scored
     * @param fid Frechet distance between the cell's features and the set's
     * @param kid KID mean over subsets
     */
    public record SetScores(String name, int setImages, int cellImages, double fid, double kid) {}
}
