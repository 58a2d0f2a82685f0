package org.attnbench.cli;

import java.nio.file.Path;
import org.attnbench.core.UserError;
import org.attnbench.methods.StepGraph;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.workloads.denoising.DenoiserGraphs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a patched UNet or DiT as a standalone ONNX file, usable by any ONNX tool or runtime. */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Build a UNet or DiT (--model, or --pipeline: its unet/ or transformer/ with its weights) with an attention "
                + "variant plugged into its transformer blocks and write it as ONNX (weights over the protobuf limit go to "
                + "OUT.onnx.data beside it).")
final class ExportOnnxCommand implements Runnable {
    @Mixin
    ModelOption model;

    /** Default: the model's sample_size x 8, square. */
    @Mixin
    ImageSizeOptions imageSize;

    @Mixin
    VariantOption variant;

    @Mixin
    BlocksOption blocks;

    @Option(names = "--timestep", defaultValue = "999", paramLabel = "T",
            description = "Export the graph a denoising loop runs at timestep T (0..999; ToDo's schedule switches method "
                    + "by timestep; default ${DEFAULT-VALUE}: its primary method).")
    double timestep;

    @Mixin
    WeightsOption weights;

    @Mixin
    SeedOption seed;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write the model.")
    Path output;

    @Override
    public void run() {
        if (model.pipeline != null && weights.path != null) {
            throw new UserError("--pipeline brings the denoiser's weights (its unet/ or transformer/): leave out --weights");
        }
        PipelineModel pipe = model.pipeline(false);
        Denoiser denoiser = model.denoiser(blocks);
        ImageSize size = imageSize.size(denoiser, ImageSize.square(denoiser.nativeResolution()));
        try (WeightSource source = WeightSource.open(pipe != null ? pipe.denoiserWeights() : weights.path, seed.seed)) {
            if (variant.spec().steps() != null) {
                throw new UserError("export-onnx writes one graph of a token method; " + variant.spec().steps().family()
                        + " runs several across a loop's steps: export its token method alone");
            }
            StepGraph graph = StepGraph.whole(variant.spec().tokens().patchAt(timestep));
            DenoiserGraphs.of(denoiser, size, source).build(graph, batch).write(output);
            System.out.println("wrote " + output + ": " + denoiser.name() + " at " + size + " px, batch " + batch + ", "
                    + graph.describe() + ", " + source.describe());
        }
    }
}
