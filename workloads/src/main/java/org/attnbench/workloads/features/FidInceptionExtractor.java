package org.attnbench.workloads.features;

import java.nio.file.Path;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.models.inception.FidInception;

/**
 * The standard FID network ({@link FidInception}) from either published form of its weights
 * ({@link FidInceptionFile}), with clean-fid's "clean" preprocessing: features as clean-fid
 * computes them, so Frechet distances from them are FID as clean-fid reports it.
 */
final class FidInceptionExtractor {
    private FidInceptionExtractor() {}

    static FeatureExtractor open(Path file, Backend backend, Device device, int batch) {
        FidInceptionFile.Contents contents = FidInceptionFile.read(file);
        var graph = FidInception.build(contents.weights(), batch);
        var executable = backend.compile(graph, device, CompileOptions.DEFAULT);
        CleanFidPreprocessing preprocessing = new CleanFidPreprocessing(contents.scaling());
        String setting = file.getFileName() + " (" + contents.form() + "), " + preprocessing;
        return new BatchedGraph(FeatureExtractors.FID_INCEPTION, setting, executable, FidInception.INPUT, FidInception.FEATURES,
                batch, preprocessing);
    }
}
