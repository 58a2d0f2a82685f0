package org.attnbench.workloads.features;

import java.nio.file.Path;

/**
 * Which extractor to open and its settings, as a user gives them.
 *
 * @param name {@value FeatureExtractors#NSFWJS}, {@value FeatureExtractors#FID_INCEPTION} or {@value FeatureExtractors#ONNX}
 * @param layer nsfwjs-inception-v3 only: flatten_1 (null: the default) or mixed5
 * @param model onnx: the .onnx file; fid-inception: the TorchScript or safetensors weights
 * @param output onnx only: the graph output holding the features
 * @param inputSize onnx only: side of the square input (null: from the model, else 299)
 * @param valueRange onnx only: "LOW,HIGH" that pixel levels 0 and 255 map to (null: 0,1)
 * @param maxBatch the most images per graph run
 */
public record ExtractorSpec(String name, String layer, Path model, String output, Integer inputSize,
                            String valueRange, int maxBatch) {
    public static ExtractorSpec nsfwjs(String layer) {
        return new ExtractorSpec(FeatureExtractors.NSFWJS, layer, null, null, null, null, FeatureExtractors.DEFAULT_BATCH);
    }

    public static ExtractorSpec fidInception(Path model) {
        return new ExtractorSpec(FeatureExtractors.FID_INCEPTION, null, model, null, null, null, FeatureExtractors.DEFAULT_BATCH);
    }

    public static ExtractorSpec onnx(Path model, String output, Integer inputSize, String valueRange) {
        return new ExtractorSpec(FeatureExtractors.ONNX, null, model, output, inputSize, valueRange, FeatureExtractors.DEFAULT_BATCH);
    }
}
