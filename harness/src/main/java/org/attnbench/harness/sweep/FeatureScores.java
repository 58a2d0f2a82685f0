package org.attnbench.harness.sweep;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.metrics.features.FeatureSets;
import org.attnbench.metrics.features.FrechetDistance;
import org.attnbench.metrics.features.ImageBootstrap;
import org.attnbench.metrics.features.KernelInceptionDistance;
import org.attnbench.store.Quality;
import org.attnbench.workloads.features.ExtractorSpec;
import org.attnbench.workloads.features.FeatureExtractor;
import org.attnbench.workloads.features.FeatureExtractors;
import org.attnbench.workloads.features.ReferenceSet;

/**
 * FID-like and KID scores between two sets of decoded images, and, with a reference image set,
 * each cell's images against that set (FID and KID as papers report them, the extractor's label
 * with every score), with the sweep's extractor (opened on first use, on ONNX Runtime on the CPU
 * so the scores do not depend on the cell's backend). With as few images as a sweep keeps, the
 * scores compare variants within a run; they are not estimates of a model's FID.
 */
final class FeatureScores implements AutoCloseable {
    static final int KID_SUBSETS = 100;
    static final int KID_SUBSET_SIZE = 1000;

    private final ExtractorSpec spec;
    private final FeatureExtractor extractor;
    private final Path referenceImages;
    /** Features by image set: a reference's images serve every variant compared with it. */
    private final Map<List<Path>, double[][]> features = new HashMap<>();
    private ReferenceSet.Statistics set;
    private FrechetDistance.Prepared prepared;
    private String label;

    /** Opens the extractor now, so a missing package or model stops the sweep before any cell runs. */
    FeatureScores(ExtractorSpec spec, int images, Path referenceImages) {
        this.spec = spec;
        this.extractor = FeatureExtractors.open(spec, Backends.byName("onnxruntime"), Device.CPU, images);
        this.referenceImages = referenceImages;
    }

    /** FID-like and KID with their bootstrap intervals over the images ({@link ImageBootstrap}; [NaN, NaN] where none). */
    record Scores(double fid, double kid, double[] fidInterval, double[] kidInterval) {}

    /** FID-like and KID of {@code b} against {@code a}, image i of each sampled from the same prompt and seed. */
    Scores fidAndKid(List<Path> a, List<Path> b) {
        double[][] fa = features(a);
        double[][] fb = features(b);
        label = FeatureExtractor.label(extractor, fa[0].length);
        int size = Math.min(fa.length, fb.length);
        return new Scores(FrechetDistance.between(fa, fb), KernelInceptionDistance.between(fa, fb, KID_SUBSETS, size, 0).mean(),
                ImageBootstrap.fidPaired(fb, fa), ImageBootstrap.kidPaired(fb, fa));
    }

    /** The images against the reference set and the scores' intervals (its statistics computed or read from its cache on first use), or null without one. */
    SetResult againstSet(List<Path> images) {
        if (referenceImages == null) return null;
        if (set == null) {
            set = ReferenceSet.load(referenceImages, spec, extractor);
            prepared = FrechetDistance.prepare(set.stats());
        }
        double[][] f = features(images);
        label = FeatureExtractor.label(extractor, f[0].length);
        int size = Math.min(KID_SUBSET_SIZE, Math.min(f.length, set.count()));
        double kid = KernelInceptionDistance.between(f, set.features(), KID_SUBSETS, size, 0).mean();
        return new SetResult(new Quality.SetScores(set.name(), set.count(), f.length, FrechetDistance.between(f, prepared), kid),
                ImageBootstrap.fidToSet(f, prepared), ImageBootstrap.kidToSet(f, set.features()));
    }

    /** A cell's scores against the reference set, with their intervals over the cell's images. */
    record SetResult(Quality.SetScores scores, double[] fidInterval, double[] kidInterval) {}

    private double[][] features(List<Path> images) {
        return features.computeIfAbsent(List.copyOf(images), i -> FeatureSets.rows(extractor.features(i)));
    }

    /** The extractor's label, e.g. "nsfwjs-inception-v3 (flatten_1, 2048-d)". */
    String label() {
        return label;
    }

    @Override
    public void close() {
        extractor.close();
    }
}
