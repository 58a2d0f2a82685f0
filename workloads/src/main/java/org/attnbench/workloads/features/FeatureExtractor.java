package org.attnbench.workloads.features;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.tensor.HostTensor;

/**
 * Turns images into feature vectors for FID-like scores. Implementations hold a compiled graph,
 * so one extractor serves many image sets and is closed once.
 */
public interface FeatureExtractor extends AutoCloseable {
    /** The name users pick it by, e.g. "nsfwjs-inception-v3" or "onnx". */
    String name();

    /** What sets its features apart within that name, e.g. "flatten_1" or "inception.onnx, output pool3". */
    String setting();

    /** Features [N, D] (float32) of the images, one row per image in the order given. */
    HostTensor features(List<Path> images);

    @Override
    void close();

    /** "nsfwjs-inception-v3 (flatten_1, 2048-d)": the label reports and feature files carry. */
    static String label(FeatureExtractor extractor, long dimension) {
        return extractor.name() + " (" + extractor.setting() + ", " + dimension + "-d)";
    }
}
