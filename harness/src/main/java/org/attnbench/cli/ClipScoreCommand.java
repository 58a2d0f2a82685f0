package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.attnbench.backend.Backend;
import org.attnbench.workloads.features.ClipScore;
import org.attnbench.workloads.features.ImageFolder;
import org.attnbench.workloads.text.PromptFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** CLIP score of a folder of images against their prompts, as torchmetrics' CLIPScore computes it. */
@Command(name = "clip-score", mixinStandardHelpOptions = true,
        description = "CLIP score of images against their prompts as torchmetrics' CLIPScore computes it: "
                + "max(100 x mean cos(image, text), 0), with CLIPProcessor's preprocessing (PIL bicubic) and a transformers "
                + "CLIPModel folder. Image i (sorted by file name) pairs with line i of the prompts file. Prints the model's "
                + "label, then 'clip_score: X'.")
final class ClipScoreCommand implements Callable<Integer> {
    @Option(names = "--clip", required = true, paramLabel = "DIR",
            description = "A transformers CLIPModel folder: config.json, model.safetensors, preprocessor_config.json, "
                    + "vocab.json, merges.txt, tokenizer_config.json (openai/clip-vit-large-patch14 is what papers use).")
    Path clip;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of images.")
    Path images;

    @Option(names = "--prompts", required = true, paramLabel = "FILE",
            description = "UTF-8 text, one prompt per line: line i is image i's prompt.")
    Path prompts;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B", description = "Most images per graph run (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    BackendOptions target;

    @Override
    public Integer call() {
        List<Path> files = ImageFolder.list(images);
        List<String> lines = PromptFile.read(prompts);
        if (lines.size() < files.size()) {
            throw new org.attnbench.core.UserError(prompts + " has " + lines.size() + " prompts for the " + files.size()
                    + " images of " + images + ": image i (sorted by name) is scored against line i, so it needs one line per image");
        }
        if (lines.size() > files.size()) {
            System.err.println("note: " + prompts + " has " + lines.size() + " prompts; only the first " + files.size()
                    + ", one per image, are used");
        }
        Backend backend = target.backend();
        try (ClipScore scorer = ClipScore.open(clip, backend, target.device(backend), batch)) {
            ClipScore.Result result = scorer.score(files, lines);
            System.out.println("model: " + result.label());
            System.out.println("images: " + files.size());
            System.out.printf(Locale.ROOT, "clip_score: %.6f%n", result.score());
        }
        return 0;
    }
}
