package org.attnbench.workloads.features;

import java.nio.file.Path;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.models.inception.FeatureLayer;
import org.attnbench.models.inception.NsfwjsInception;
import org.attnbench.models.keras.TfjsLayersModel;

/**
 * The offline default extractor: nsfwjs's InceptionV3 ({@link NsfwjsInception}) on a backend.
 * Images are preprocessed to 299 x 299 with values in [0, 1] (level / 255), nsfwjs's own
 * normalization. nsfwjs itself resizes with TF.js's bilinear resize (align corners, no
 * antialiasing); this extractor uses {@link Resize}'s antialiased filter instead, because
 * aliasing from shrinking large photos changes features (Parmar et al., "On Aliased Resizing
 * and Surprising Subtleties in GAN Evaluation", 2022).
 */
final class NsfwjsExtractor {
    private static TfjsLayersModel cached;
    private static Path cachedFrom;

    private NsfwjsExtractor() {}

    static FeatureExtractor open(String layerName, Backend backend, Device device, int batch) {
        FeatureLayer layer = layerName == null ? FeatureLayer.FLATTEN_1 : FeatureLayer.parse(layerName);
        var graph = NsfwjsInception.build(model(), batch, layer, false);
        var executable = backend.compile(graph, device, CompileOptions.DEFAULT);
        return new BatchedGraph(FeatureExtractors.NSFWJS, layer.layerName(), executable, NsfwjsInception.INPUT,
                NsfwjsInception.FEATURES, batch, preprocessing());
    }

    /** nsfwjs's input: 299 x 299, values level / 255. */
    static Preprocessing preprocessing() {
        return new Preprocessing(NsfwjsInception.INPUT_SIZE, NsfwjsInception.VALUE_AT_0, NsfwjsInception.VALUE_AT_255);
    }

    /** The model, read once per JVM (unpacking it on first use). */
    static synchronized TfjsLayersModel model() {
        Path modelJson = NsfwjsFiles.modelJson();
        if (cached == null || !modelJson.equals(cachedFrom)) {
            cached = TfjsLayersModel.read(modelJson);
            cachedFrom = modelJson;
        }
        return cached;
    }
}
