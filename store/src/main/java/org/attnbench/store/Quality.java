package org.attnbench.store;

import java.util.Map;

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
 * @param clipScore CLIP score of the cell's images against the prompts they were sampled from
 *     (torchmetrics' CLIPScore: max(100 mean cos, 0)), NaN when not measured
 * @param clipModel the CLIP model behind {@code clipScore} (its label), or null
 * @param intervals 95% bootstrap intervals over the images of the image scores, by metric name
 *     ({@code mse}, {@code fid_like}, {@code kid}, {@code fid_set}, {@code kid_set}, {@code clip_score});
 *     a score without one has none (too few images, or too many for FID's draws)
 */
public record Quality(int samples, double mse, double psnrDb, double cosine, double maxAbs, double relL2, double hpf,
        double hpfReference, double fidLike, double kid, String extractor, SetScores referenceSet, double clipScore,
        String clipModel, Map<String, Interval> intervals) {
    public static final Quality NONE = new Quality(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null);

    public Quality {
        intervals = intervals == null ? Map.of() : Map.copyOf(intervals);
        if (clipModel == null) clipScore = Double.NaN; // rows written before CLIP scores were recorded read 0 otherwise
    }

    /** Without a CLIP score or intervals. */
    public Quality(int samples, double mse, double psnrDb, double cosine, double maxAbs, double relL2, double hpf,
            double hpfReference, double fidLike, double kid, String extractor, SetScores referenceSet) {
        this(samples, mse, psnrDb, cosine, maxAbs, relL2, hpf, hpfReference, fidLike, kid, extractor, referenceSet, Double.NaN,
                null, Map.of());
    }

    /** A bootstrap interval [low, high] of a score over the images. */
    public record Interval(double low, double high) {}

    /** Only the high-frequency detail of a cell's own outputs: no reference outputs to compare with. */
    public static Quality detailOnly(int samples, double hpf) {
        return new Quality(samples, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, hpf, Double.NaN,
                Double.NaN, Double.NaN, null, null);
    }

    /** The same with the reference-set scores (and the extractor that made them). */
    public Quality withReferenceSet(SetScores scores, String extractorLabel) {
        return new Quality(samples, mse, psnrDb, cosine, maxAbs, relL2, hpf, hpfReference, fidLike, kid,
                extractor != null ? extractor : extractorLabel, scores, clipScore, clipModel, intervals);
    }

    /** The same with a CLIP score (and the model that made it). */
    public Quality withClipScore(double score, String model) {
        return new Quality(samples, mse, psnrDb, cosine, maxAbs, relL2, hpf, hpfReference, fidLike, kid, extractor,
                referenceSet, score, model, intervals);
    }

    /** The same with one more interval (a NaN one is left out). */
    public Quality withInterval(String metric, double[] lowHigh) {
        if (lowHigh == null || !Double.isFinite(lowHigh[0]) || !Double.isFinite(lowHigh[1])) return this;
        Map<String, Interval> all = new java.util.LinkedHashMap<>(intervals);
        all.put(metric, new Interval(lowHigh[0], lowHigh[1]));
        return new Quality(samples, mse, psnrDb, cosine, maxAbs, relL2, hpf, hpfReference, fidLike, kid, extractor,
                referenceSet, clipScore, clipModel, all);
    }

    /** The interval of {@code metric}, or null. */
    public Interval interval(String metric) {
        return intervals.get(metric);
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
