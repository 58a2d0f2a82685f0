package org.attnbench.reports.images;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.ResultRow;
import org.attnbench.tensor.HostTensor;

/**
 * What a cell saved for inspection: its outputs ({@code files.outputs}, a safetensors file with
 * {@code sample_0}, {@code sample_1}, ...) and decoded images ({@code files.image_0}, ... PNG).
 */
final class SavedOutputs {
    static final String OUTPUTS = "outputs";
    static final String FIRST_SAMPLE = "sample_0";
    static final String FIRST_IMAGE = "image_0";

    private SavedOutputs() {}

    static boolean hasOutputs(Path runDir, ResultRow r) {
        return exists(runDir, r, OUTPUTS);
    }

    static boolean hasImage(Path runDir, ResultRow r) {
        return exists(runDir, r, FIRST_IMAGE);
    }

    /** The first sample laid out on its grid, and how many samples the file holds. */
    record FirstSample(TokenMap map, int samples) {}

    static FirstSample firstSample(Path runDir, ResultRow r) {
        Path file = runDir.resolve(r.files().get(OUTPUTS));
        Map<String, HostTensor> tensors = Safetensors.read(file);
        HostTensor t = tensors.get(FIRST_SAMPLE);
        if (t == null) throw new IllegalArgumentException(file + " has no tensor " + FIRST_SAMPLE);
        int samples = (int) tensors.keySet().stream().filter(k -> k.startsWith("sample_")).count();
        return new FirstSample(TokenMap.of(t, r.cell().grid()), samples);
    }

    static BufferedImage firstImage(Path runDir, ResultRow r) {
        Path file = runDir.resolve(r.files().get(FIRST_IMAGE));
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new IllegalArgumentException(file + " is not an image ImageIO can read");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the first image was sampled from, for a cell that sampled a prompt set: "prompt “…”, seed S
     * (image 1 of N: P prompts of SET x K each)"; null for seeded prompt states.
     */
    static String firstPrompt(Path runDir, ResultRow r) {
        String folder = r.files().get(PromptEncoding.FOLDER);
        if (folder == null || !Files.isRegularFile(runDir.resolve(folder).resolve(PromptEncoding.FILE))) return null;
        PromptEncoding e = PromptEncoding.read(runDir.resolve(folder));
        return "prompt \u201c" + e.promptOf(0) + "\u201d, seed " + e.seedOf(0) + " (image 1 of " + e.images() + ": "
                + e.prompts().size() + " prompts of " + e.promptSet() + " x " + e.imagesPerPrompt() + ")";
    }

    private static boolean exists(Path runDir, ResultRow r, String kind) {
        return Optional.ofNullable(r.files().get(kind)).map(runDir::resolve).filter(Files::isRegularFile).isPresent();
    }
}
