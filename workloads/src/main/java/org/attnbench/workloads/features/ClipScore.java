package org.attnbench.workloads.features;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.attnbench.backend.Backend;
import org.attnbench.backend.CompileOptions;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.metrics.features.FeatureSets;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.ClipModelConfig;
import org.attnbench.text.encoder.ClipModelWeights;
import org.attnbench.text.encoder.ClipVisionGraph;
import org.attnbench.text.encoder.EncoderWeights;
import org.attnbench.text.encoder.TextEncoderConfig;
import org.attnbench.text.tokenizer.ClipTokenizer;
import org.attnbench.text.tokenizer.TokenBatch;
import org.attnbench.workloads.text.TextEncoderRunner;

/**
 * CLIP score as torchmetrics' {@code CLIPScore} computes it, from a transformers CLIPModel folder
 * ({@code config.json}, {@code model.safetensors}, {@code preprocessor_config.json} and the tokenizer's
 * files): {@code max(100 * mean_i cos(image_i, text_i), 0)}, the clamp after the mean, with the
 * embeddings of CLIPModel's {@code get_image_features} (the image tower as a graph,
 * {@link ClipVisionGraph}, after {@link ClipImageProcessor}) and {@code get_text_features} (the
 * text tower, through {@link TextEncoderRunner}).
 *
 * <p>Prompts are tokenized as torchmetrics asks CLIPProcessor to: padded to the longest, not
 * truncated by the tokenizer, then cut to the text tower's {@code max_position_embeddings} (so a
 * prompt of 76 tokens or more loses its end token, as it does there). Padding never changes a
 * prompt's embedding (its end token sees only what precedes it).
 */
public final class ClipScore implements AutoCloseable {
    /** One score: the mean over images, each image's own 100 cos, and what made them. */
    public record Result(double score, double[] perImage, String label) {}

    private final Path folder;
    private final ClipModelConfig config;
    private final ClipTokenizer tokenizer;
    private final ClipImageProcessor processor;
    private final WeightSource visionWeights;
    private final TextEncoderRunner text;
    private final Backend backend;
    private final Device device;
    private final int maxBatch;

    private ClipScore(Path folder, ClipModelConfig config, ClipTokenizer tokenizer, ClipImageProcessor processor,
                      WeightSource visionWeights, TextEncoderRunner text, Backend backend, Device device, int maxBatch) {
        this.folder = folder;
        this.config = config;
        this.tokenizer = tokenizer;
        this.processor = processor;
        this.visionWeights = visionWeights;
        this.text = text;
        this.backend = backend;
        this.device = device;
        this.maxBatch = maxBatch;
    }

    /** A CLIPModel folder on a backend: its config, weights, image processor and tokenizer checked now. */
    public static ClipScore open(Path folder, Backend backend, Device device, int maxBatch) {
        if (!java.nio.file.Files.isDirectory(folder)) throw new UserError("CLIP folder " + folder + " does not exist");
        ClipModelConfig config = ClipModelConfig.read(folder.resolve("config.json"));
        ClipImageProcessor processor = ClipImageProcessor.read(folder);
        if (processor.cropHeight() != config.vision().imageSize() || processor.cropWidth() != config.vision().imageSize()) {
            throw new UserError(folder + ": " + ClipImageProcessor.FILE + " crops " + processor.cropWidth() + "x" + processor.cropHeight()
                    + " but the image tower takes " + config.vision().imageSize() + "x" + config.vision().imageSize());
        }
        ClipTokenizer tokenizer = ClipTokenizer.open(folder);
        WeightSource weights = EncoderWeights.open(folder);
        try {
            String warning = ClipModelWeights.check(config, weights);
            if (warning != null) System.err.println(warning);
            TextEncoderRunner text = TextEncoderRunner.open(config.text(), EncoderWeights.open(folder), backend, device);
            return new ClipScore(folder, config, tokenizer, processor, weights, text, backend, device, maxBatch);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Image i against prompt i; prompts beyond the images are not used. */
    public Result score(List<Path> images, List<String> prompts) {
        if (prompts.size() < images.size()) {
            throw new UserError(prompts.size() + " prompts for " + images.size() + " images: image i is scored against prompt i, "
                    + "so the prompts file needs at least one line per image");
        }
        double[][] image = FeatureSets.rows(imageEmbeds(images));
        double[][] caption = FeatureSets.rows(textEmbeds(prompts.subList(0, images.size())));
        double[] each = new double[images.size()];
        double sum = 0;
        for (int i = 0; i < each.length; i++) {
            each[i] = 100 * cosine(image[i], caption[i]);
            sum += each[i];
        }
        return new Result(Math.max(sum / each.length, 0), each, label());
    }

    /** get_image_features of each image, [N, projection_dim]. */
    public HostTensor imageEmbeds(List<Path> images) {
        int batch = BatchedGraph.evenBatch(images.size(), maxBatch);
        var exe = backend.compile(ClipVisionGraph.build(config, visionWeights, batch), device, CompileOptions.DEFAULT);
        try (BatchedGraph graph = new BatchedGraph("clip", label(), exe, ClipVisionGraph.PIXEL_VALUES,
                ClipVisionGraph.IMAGE_EMBEDS, batch, processor)) {
            return graph.features(images);
        }
    }

    /** get_text_features of each prompt, [P, projection_dim]. */
    public HostTensor textEmbeds(List<String> prompts) {
        int max = config.text().maxPositions();
        TokenBatch tokens = tokenizer.encode(prompts, max + 1);
        int longest = 0;
        for (long[] row : tokens.mask()) longest = Math.max(longest, (int) java.util.Arrays.stream(row).sum());
        int length = Math.min(longest, max);
        long[][] ids = new long[prompts.size()][];
        long[][] mask = new long[prompts.size()][];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = java.util.Arrays.copyOf(tokens.ids()[p], length);
            mask[p] = java.util.Arrays.copyOf(tokens.mask()[p], length);
        }
        return text.encode(ids, mask).get(TextEncoderConfig.TEXT_EMBEDS);
    }

    /** "CLIP score (FOLDER: ViT-L/14-sized tower, 224 px)": what travels with every score. */
    public String label() {
        return String.format(Locale.ROOT, "clip-score (%s: %d layers x %d, patch %d, %d px; text %d layers x %d; %s)",
                folder.getFileName(), config.vision().layers(), config.vision().hiddenSize(), config.vision().patchSize(),
                config.vision().imageSize(), config.text().layers(), config.text().hiddenSize(), processor);
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Override
    public void close() {
        text.close();
        tokenizer.close();
        visionWeights.close();
    }
}
