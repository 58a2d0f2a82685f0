package org.attnbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Device;
import org.attnbench.workloads.features.ExtractorSpec;
import org.attnbench.workloads.features.FeatureExtractor;
import org.attnbench.workloads.features.FeatureExtractors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The extractor and where it runs, shared by the commands that turn images into features. */
final class FeatureOptions {
    @Option(names = "--extractor", paramLabel = "NAME",
            description = "nsfwjs-inception-v3 (the offline default: nsfwjs's InceptionV3; FID-like scores), fid-inception (the "
                    + "standard FID Inception from --model, with clean-fid's preprocessing: FID as clean-fid computes it) or onnx "
                    + "(your own ONNX image model).")
    String name;

    @Option(names = "--layer", paramLabel = "LAYER",
            description = "nsfwjs-inception-v3: flatten_1 (2048-d, default) or mixed5 (768-d, averaged over its grid; never fine-tuned).")
    String layer;

    @Option(names = "--model", paramLabel = "FILE",
            description = "fid-inception: StyleGAN's TorchScript inception-2015-12-05.pt or pytorch-fid's weights as safetensors; "
                    + "onnx: the .onnx model (one input [B, 3, S, S]).")
    Path model;

    @Option(names = "--output", paramLabel = "NAME", description = "onnx: the graph output holding the features.")
    String output;

    @Option(names = "--input-size", paramLabel = "S",
            description = "onnx: side of the square input (default: the model's, else 299).")
    Integer inputSize;

    @Option(names = "--value-range", paramLabel = "LOW,HIGH",
            description = "onnx: what pixel levels 0 and 255 map to (default 0,1; e.g. -1,1 or 0,255).")
    String valueRange;

    @Option(names = "--batch", defaultValue = "" + FeatureExtractors.DEFAULT_BATCH, paramLabel = "B",
            description = "Most images per graph run (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    BackendOptions target;

    /** The extractor options given on the command line (for commands that may not use them). */
    List<String> given() {
        List<String> out = new ArrayList<>();
        if (name != null) out.add("--extractor");
        if (layer != null) out.add("--layer");
        if (model != null) out.add("--model");
        if (output != null) out.add("--output");
        if (inputSize != null) out.add("--input-size");
        if (valueRange != null) out.add("--value-range");
        return out;
    }

    /** Opens the extractor for at most {@code imageCount} images per call. */
    FeatureExtractor open(int imageCount) {
        Backend backend = target.backend();
        Device device = target.device(backend);
        ExtractorSpec spec = new ExtractorSpec(name == null ? FeatureExtractors.NSFWJS : name, layer, model, output, inputSize,
                valueRange, batch);
        return FeatureExtractors.open(spec, backend, device, imageCount);
    }
}
