package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.features.FeatureExtractor;
import org.attnbench.workloads.features.ImageFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Image features [N, D] for FID-like scores, written as a safetensors file. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Features of every image in a folder (JPEG, PNG, BMP, GIF; sorted by file name), written as tensor "
                + "'features' [N, D] with the extractor's label in the file's metadata. Images are resized to the "
                + "extractor's square input, aspect ratio not kept: fid-inception as clean-fid's clean mode does (PIL's bicubic "
                + "filter), the others with an antialiased bilinear filter.")
final class FeaturesCommand implements Callable<Integer> {
    static final String TENSOR = FidCommand.TENSOR;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of images.")
    Path images;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.safetensors", description = "Where to write the features.")
    Path out;

    @Mixin
    FeatureOptions extractor;

    @Override
    public Integer call() {
        List<Path> files = ImageFolder.list(images);
        try (FeatureExtractor ex = extractor.open(files.size())) {
            long start = System.nanoTime();
            HostTensor features = ex.features(files);
            double seconds = (System.nanoTime() - start) / 1e9;
            String label = FeatureExtractor.label(ex, features.shape()[1]);
            Safetensors.write(out, Map.of(TENSOR, features), Map.of(FidCommand.EXTRACTOR_KEY, label, "images", images.toString()));
            System.out.println("extractor: " + label);
            System.out.printf(Locale.ROOT, "wrote %s: features [%d, %d] in %.1f s (%.0f ms per image)%n", out,
                    features.shape()[0], features.shape()[1], seconds, 1000 * seconds / files.size());
        }
        return 0;
    }
}
