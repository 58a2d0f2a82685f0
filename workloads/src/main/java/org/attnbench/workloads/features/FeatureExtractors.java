package org.attnbench.workloads.features;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.backend.Backend;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.models.inception.FeatureLayer;

/** Opens a {@link FeatureExtractor} by name, refusing settings that belong to another extractor. */
public final class FeatureExtractors {
    public static final String NSFWJS = "nsfwjs-inception-v3";
    public static final String ONNX = "onnx";
    public static final String FID_INCEPTION = "fid-inception";
    public static final List<String> NAMES = List.of(NSFWJS, FID_INCEPTION, ONNX);
    public static final int DEFAULT_BATCH = 8;

    private FeatureExtractors() {}

    /**
     * @param imageCount how many images one call will extract, at most (sizes the batch; 0 if unknown)
     */
    public static FeatureExtractor open(ExtractorSpec spec, Backend backend, Device device, int imageCount) {
        check(spec);
        int batch = imageCount > 0 ? BatchedGraph.evenBatch(imageCount, spec.maxBatch()) : spec.maxBatch();
        if (spec.name().equals(NSFWJS)) return NsfwjsExtractor.open(spec.layer(), backend, device, batch);
        if (spec.name().equals(FID_INCEPTION)) return FidInceptionExtractor.open(spec.model(), backend, device, batch);
        double[] range = Preprocessing.parseRange(spec.valueRange() == null ? "0,1" : spec.valueRange());
        return OnnxExtractor.open(spec.model(), spec.output(), spec.inputSize(), range, backend, device, batch);
    }

    /**
     * Whether scores from this extractor are FID as published (the standard network with
     * clean-fid's preprocessing), rather than FID-like.
     */
    public static boolean isStandardFid(String name) {
        return FID_INCEPTION.equals(name);
    }

    /** Checks a spec without opening anything: its name, and settings that belong to it and make sense. */
    public static void check(ExtractorSpec spec) {
        if (spec.maxBatch() < 1) throw new UserError("batch must be at least 1, got " + spec.maxBatch());
        switch (spec.name()) {
            case NSFWJS -> {
                refuse(spec, "--model", spec.model() != null, "--output", spec.output() != null,
                        "--input-size", spec.inputSize() != null, "--value-range", spec.valueRange() != null);
                if (spec.layer() != null) FeatureLayer.parse(spec.layer());
            }
            case FID_INCEPTION -> {
                refuse(spec, "--layer", spec.layer() != null, "--output", spec.output() != null,
                        "--input-size", spec.inputSize() != null, "--value-range", spec.valueRange() != null);
                if (spec.model() == null) {
                    throw new UserError("the fid-inception extractor needs --model FILE: StyleGAN's inception-2015-12-05.pt "
                            + "or pytorch-fid's weights as safetensors");
                }
                if (!Files.isRegularFile(spec.model())) throw new UserError("no such FID Inception file: " + spec.model());
            }
            case ONNX -> {
                refuse(spec, "--layer", spec.layer() != null);
                if (spec.model() == null || spec.output() == null) {
                    throw new UserError("the onnx extractor needs --model FILE.onnx and --output NAME (the features' graph output)");
                }
                if (!Files.isRegularFile(spec.model())) throw new UserError("no such ONNX model: " + spec.model());
                Preprocessing.parseRange(spec.valueRange() == null ? "0,1" : spec.valueRange());
            }
            default -> throw new UserError("unknown extractor '" + spec.name() + "': use " + String.join(" or ", NAMES));
        }
    }

    /** Pairs of (option, given): any given option is an error naming the extractor it does not apply to. */
    private static void refuse(ExtractorSpec spec, Object... pairs) {
        List<String> given = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) if ((Boolean) pairs[i + 1]) given.add((String) pairs[i]);
        if (!given.isEmpty()) {
            throw new UserError(String.join(", ", given) + (given.size() == 1 ? " does" : " do")
                    + " not apply to the " + spec.name() + " extractor");
        }
    }
}
