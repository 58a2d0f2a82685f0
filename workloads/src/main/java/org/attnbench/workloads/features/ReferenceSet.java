package org.attnbench.workloads.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.attnbench.core.UserError;
import org.attnbench.metrics.features.FeatureSets;
import org.attnbench.metrics.features.FeatureStats;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.HostTensor;

/**
 * A folder of reference images (COCO val2014, say) seen through one extractor: its features, mean,
 * covariance (N - 1) and count, computed once and cached beside the images in
 * {@code .attnbench-reference-HASH.safetensors}. The hash covers what made them: the extractor's
 * name and settings, the sha256 of its model file, and every image's name, size and modification
 * time; a changed image, weight file or setting makes a new file, never a stale score. A folder
 * that cannot be written keeps the statistics in memory for the run, with a note.
 */
public final class ReferenceSet {
    /** Bumped whenever the way features are made changes in a way the hash would not see. */
    static final int FORMAT = 1;
    static final String PREFIX = ".attnbench-reference-";

    /** The set's features and their statistics, with the extractor's label and the set's name. */
    public record Statistics(String name, double[][] features, FeatureStats stats, String extractor) {
        public int count() {
            return features.length;
        }
    }

    private ReferenceSet() {}

    /** The set's statistics for this extractor, from the cache when it matches, else computed and cached. */
    public static Statistics load(Path folder, ExtractorSpec spec, FeatureExtractor extractor) {
        List<Path> images = ImageFolder.list(folder);
        String hash = hash(folder, images, spec, extractor);
        Path cache = folder.resolve(PREFIX + hash.substring(0, 16) + ".safetensors");
        String name = folder.toAbsolutePath().normalize().getFileName().toString();
        if (Files.isRegularFile(cache)) {
            try (SafetensorsFile f = SafetensorsFile.open(cache)) {
                if (hash.equals(f.metadata().get("hash"))) {
                    double[][] rows = FeatureSets.rows(f.tensor("features"));
                    return new Statistics(name, rows, stats(f), f.metadata().get("extractor"));
                }
            }
        }
        HostTensor features = extractor.features(images);
        double[][] rows = FeatureSets.rows(features);
        FeatureStats stats = FeatureStats.of(rows, "reference set " + folder);
        String label = FeatureExtractor.label(extractor, rows[0].length);
        write(cache, features, stats, hash, label, images.size());
        return new Statistics(name, rows, stats, label);
    }

    private static FeatureStats stats(SafetensorsFile f) {
        double[] mean = f.tensor("mean").toDoubles();
        double[] cov = f.tensor("covariance").toDoubles();
        int d = mean.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) System.arraycopy(cov, i * d, c[i], 0, d);
        return new FeatureStats(mean, new Array2DRowRealMatrix(c, false), Integer.parseInt(f.metadata().get("count")));
    }

    private static void write(Path cache, HostTensor features, FeatureStats stats, String hash, String label, int count) {
        int d = stats.dimension();
        double[] cov = new double[d * d];
        for (int i = 0; i < d; i++) System.arraycopy(stats.covariance().getRow(i), 0, cov, i * d, d);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("features", features);
        tensors.put("mean", HostTensor.of(stats.mean(), d));
        tensors.put("covariance", HostTensor.of(cov, d, d));
        Map<String, String> metadata = Map.of("hash", hash, "extractor", label, "count", Integer.toString(count));
        Path temporary = cache.resolveSibling(cache.getFileName() + ".tmp");
        try {
            Safetensors.write(temporary, tensors, metadata);
            Files.move(temporary, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (UserError | IOException | UncheckedIOException e) {
            System.err.println("note: cannot cache the reference set's statistics in " + cache.getParent() + " ("
                    + e.getMessage() + "); they are kept for this run only");
        }
    }

    /** sha256 over the format, the extractor's settings and model file, and every image's name, size and time. */
    static String hash(Path folder, List<Path> images, ExtractorSpec spec, FeatureExtractor extractor) {
        MessageDigest sha = sha256();
        StringBuilder what = new StringBuilder("attnbench reference set " + FORMAT + "\n");
        what.append(extractor.name()).append('\n').append(extractor.setting()).append('\n');
        what.append(spec.layer()).append('|').append(spec.output()).append('|').append(spec.inputSize()).append('|')
                .append(spec.valueRange()).append('\n');
        if (spec.model() != null) what.append(fileHash(spec.model())).append('\n');
        try {
            for (Path image : images) {
                what.append(folder.relativize(image)).append('|').append(Files.size(image)).append('|')
                        .append(Files.getLastModifiedTime(image).toMillis()).append('\n');
            }
        } catch (IOException e) {
            throw new UserError("cannot read the reference images in " + folder + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest(what.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static String fileHash(Path file) {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) sha.update(buffer, 0, n);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
