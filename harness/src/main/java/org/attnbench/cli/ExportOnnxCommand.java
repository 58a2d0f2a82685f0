package org.attnbench.cli;

import java.nio.file.Path;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.models.unet.UNetPatch;
import org.attnbench.models.unet.WeightSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a patched UNet as a standalone ONNX file, usable by any ONNX tool or runtime. */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Build a UNet with an attention variant plugged into its transformer blocks and write it as ONNX "
                + "(weights over the protobuf limit go to OUT.onnx.data beside it).")
final class ExportOnnxCommand implements Runnable {
    @Mixin
    ModelOption model;

    /** Default: the model's sample_size x 8, square. */
    @Mixin
    ImageSizeOptions imageSize;

    @Mixin
    VariantOption variant;

    @Option(names = "--timestep", paramLabel = "T",
            description = "Export the patch in effect at timestep T (0..999) of ToDo's schedule (default: its primary method).")
    Double timestep;

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
        UNetConfig config = model.config();
        ImageSize size = imageSize.size(config, ImageSize.square(config.sampleSize() * UNetGraph.VAE_FACTOR));
        UNetPatch patch = UNetPatch.of(variant.spec());
        if (timestep != null) patch = patch.atTimestep(timestep);
        try (WeightSource source = WeightSource.open(weights.path, seed.seed)) {
            OnnxModel unet = UNetGraph.build(config, size, batch, patch, source);
            unet.write(output);
            System.out.println("wrote " + output + ": " + config.name() + " at " + size + " px, batch " + batch + ", "
                    + patch.describe() + ", " + source.describe());
        }
    }
}
