package org.attnbench.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.attnbench.core.UserError;
import org.attnbench.metrics.features.FeatureSets;
import org.attnbench.metrics.features.FrechetDistance;
import org.attnbench.metrics.features.KernelInceptionDistance;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.features.FeatureExtractor;
import org.attnbench.workloads.features.FeatureExtractors;
import org.attnbench.workloads.features.ImageFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Frechet distance and KID between two feature sets, from feature files or straight from two
 * image folders. The first line names the extractor and says what the score is: FID for the
 * standard FID Inception with clean-fid's preprocessing ({@code fid-inception}), FID-like for any
 * other network.
 */
@Command(name = "fid", mixinStandardHelpOptions = true,
        description = "Frechet distance (FID) and KID between two feature sets: either two feature files "
                + "(--features-a/--features-b, tensor 'features' [N, D] each, as 'attnbench features' writes them) or two "
                + "image folders (--images-a/--images-b, features from --extractor). Only --extractor fid-inception (the "
                + "standard FID Inception with clean-fid's preprocessing) gives FID comparable with published numbers; other "
                + "extractors' scores are FID-like.")
final class FidCommand implements Callable<Integer> {
    static final String TENSOR = "features";
    /** Metadata key of a feature file that names its extractor. */
    static final String EXTRACTOR_KEY = "extractor";
    static final String CAVEAT = "the score is FID-like, not comparable with published FID";
    static final String STANDARD = "FID with the standard Inception and clean-fid's preprocessing, comparable with clean-fid's "
            + "when the file holds the 2015-12-05 weights";

    @Option(names = "--features-a", paramLabel = "A.safetensors", description = "Features of set A ('attnbench features').")
    Path featuresA;

    @Option(names = "--features-b", paramLabel = "B.safetensors", description = "Features of set B.")
    Path featuresB;

    @Option(names = "--images-a", paramLabel = "DIR", description = "Images of set A (instead of --features-a).")
    Path imagesA;

    @Option(names = "--images-b", paramLabel = "DIR", description = "Images of set B (instead of --features-b).")
    Path imagesB;

    @Mixin
    FeatureOptions extractor;

    @Option(names = "--kid-subsets", defaultValue = "100", description = "KID subsets (default ${DEFAULT-VALUE}).")
    int kidSubsets;

    @Option(names = "--kid-subset-size", defaultValue = "1000",
            description = "Rows per KID subset (default ${DEFAULT-VALUE}, capped at the smaller set).")
    int kidSubsetSize;

    @Mixin
    SeedOption seed;

    /** Two feature sets and the label of the extractor that made them. */
    private record Pair(double[][] a, double[][] b, String label) {}

    @Override
    public Integer call() {
        boolean files = featuresA != null || featuresB != null;
        boolean folders = imagesA != null || imagesB != null;
        if (files == folders || (files && (featuresA == null || featuresB == null))
                || (folders && (imagesA == null || imagesB == null))) {
            throw new UserError("give either --features-a and --features-b, or --images-a and --images-b");
        }
        if (files && !extractor.given().isEmpty()) {
            throw new UserError(String.join(", ", extractor.given()) + " applies only with --images-a and --images-b");
        }
        Pair pair = files ? fromFiles() : fromImages();
        double fid = FrechetDistance.between(pair.a(), pair.b());
        int size = Math.min(kidSubsetSize, Math.min(pair.a().length, pair.b().length));
        KernelInceptionDistance.Result kid = KernelInceptionDistance.between(pair.a(), pair.b(), kidSubsets, size, seed.seed);
        System.out.println("extractor: " + pair.label() + "; " + caveat(pair.label()));
        System.out.printf(Locale.ROOT, "fid: %.6f%n", fid);
        System.out.printf(Locale.ROOT, "kid: %.6e +- %.6e%n", kid.mean(), kid.std());
        return 0;
    }

    /** What a score from the extractor with this label is: FID, or FID-like. */
    static String caveat(String label) {
        return label.startsWith(FeatureExtractors.FID_INCEPTION + " ") ? STANDARD : CAVEAT;
    }

    private Pair fromImages() {
        List<Path> a = ImageFolder.list(imagesA);
        List<Path> b = ImageFolder.list(imagesB);
        try (FeatureExtractor ex = extractor.open(Math.max(a.size(), b.size()))) {
            HostTensor fa = ex.features(a);
            HostTensor fb = ex.features(b);
            return new Pair(FeatureSets.rows(fa), FeatureSets.rows(fb), FeatureExtractor.label(ex, fa.shape()[1]));
        }
    }

    private Pair fromFiles() {
        String[] labels = new String[2];
        double[][] a = read(featuresA, labels, 0);
        double[][] b = read(featuresB, labels, 1);
        if (labels[0] != null && labels[1] != null && !labels[0].equals(labels[1])) {
            throw new UserError("the feature files come from different extractors: " + labels[0] + " (" + featuresA + ") and "
                    + labels[1] + " (" + featuresB + ")");
        }
        String label = labels[0] != null ? labels[0] : labels[1];
        return new Pair(a, b, label != null ? label : "not recorded in the feature files");
    }

    private static double[][] read(Path file, String[] labels, int index) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            if (!f.contains(TENSOR)) {
                throw new UserError(file + " has no tensor '" + TENSOR + "' (it has " + String.join(", ", f.names()) + ")");
            }
            labels[index] = f.metadata().get(EXTRACTOR_KEY);
            HostTensor t = f.tensor(TENSOR);
            if (t.rank() != 2) throw new UserError(file + ": '" + TENSOR + "' must be [N, D], got " + Arrays.toString(t.shape()));
            return FeatureSets.rows(t);
        }
    }
}
