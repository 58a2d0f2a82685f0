package org.attnbench.cli;

import java.nio.file.Path;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.attention.VariantSpec;
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
    @Option(names = "--model", required = true, paramLabel = "NAME|CONFIG.json",
            description = "sd15, sd21, sdxl, tiny, or a diffusers UNet config.json.")
    String model;

    /** Default: the model's sample_size x 8, square. */
    @Mixin
    ImageSizeOptions imageSize;

    @Option(names = "--variant", defaultValue = "dense", paramLabel = "SPEC",
            description = "dense[:slice=S|kernel=fused], todo:factor=F,..., tome:ratio=R,..., tome-kv:ratio=R (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--timestep", paramLabel = "T",
            description = "Export the patch in effect at timestep T (0..999) of ToDo's schedule (default: its primary method).")
    Double timestep;

    @Option(names = "--weights", paramLabel = "PATH",
            description = "diffusers safetensors: a file, a sharded index .json, or their folder (default: seeded random).")
    Path weights;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of random weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx", description = "Where to write the model.")
    Path output;

    @Override
    public void run() {
        UNetConfig config = UNetConfig.load(model);
        ImageSize size = imageSize.size(config, ImageSize.square(config.sampleSize() * UNetGraph.VAE_FACTOR));
        UNetPatch patch = UNetPatch.of(VariantSpec.parse(variant));
        if (timestep != null) patch = patch.atTimestep(timestep);
        try (WeightSource source = WeightSource.open(weights, seed)) {
            OnnxModel unet = UNetGraph.build(config, size, batch, patch, source);
            unet.write(output);
            System.out.println("wrote " + output + ": " + config.name() + " at " + size + " px, batch " + batch + ", "
                    + patch.describe() + ", " + source.describe());
        }
    }
}
