package org.attnbench.backend.onnxruntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;

/**
 * Where ORT loads a model from. Embedded weights go in as bytes; external weights (in files or
 * held in memory) are written with the model into a private temporary folder, because ORT
 * resolves external data relative to the model file it opens.
 *
 * @param file the .onnx file to open, or null to load the proto bytes
 */
record ModelSource(Path file) {
    static ModelSource of(OnnxModel model) {
        if (!model.hasExternalWeights()) return new ModelSource(null);
        Path dir;
        try {
            dir = Files.createTempDirectory("attnbench-ort-");
        } catch (IOException e) {
            throw new UserError("cannot create a temporary folder for the model's weights: " + e.getMessage());
        }
        ModelSource source = new ModelSource(dir.resolve("model.onnx"));
        try {
            // Passing the initializers as in-memory weights makes write() copy them from wherever they live.
            new OnnxModel(model.proto(), model.baseDir(), model.initializers()).write(source.file());
        } catch (RuntimeException e) {
            source.delete();
            throw e;
        }
        return source;
    }

    void delete() {
        if (file == null) return;
        try (Stream<Path> paths = Files.walk(file.getParent())) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary folder is harmless; the run itself succeeded or failed on its own.
        }
    }
}
