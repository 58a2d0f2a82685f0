package org.attnbench.harness.sweep;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.workloads.features.ClipScore;
import org.attnbench.workloads.features.FeatureExtractors;

/**
 * CLIP score of each cell's decoded images against the prompts they were sampled from, with the
 * sweep's CLIPModel folder ({@code fidelity.clip}), opened once, on ONNX Runtime on the CPU so the
 * scores do not depend on the cell's backend.
 */
final class ClipScores implements AutoCloseable {
    private final ClipScore clip;

    /** Opens the model now, so a broken folder stops the sweep before any cell runs. */
    ClipScores(Path folder) {
        this.clip = ClipScore.open(folder, Backends.byName("onnxruntime"), Device.CPU, FeatureExtractors.DEFAULT_BATCH);
    }

    /** Image i against prompt i. */
    ClipScore.Result score(List<Path> images, List<String> prompts) {
        return clip.score(images, prompts);
    }

    @Override
    public void close() {
        clip.close();
    }
}
