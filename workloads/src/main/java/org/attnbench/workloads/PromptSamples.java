package org.attnbench.workloads;

import java.nio.file.Path;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.store.PromptEncoding;

/**
 * The prompts a denoising cell samples: a run's encoded prompts ({@link PromptEncoding}, one
 * safetensors file per prompt in encode-prompts' layout), N images per prompt. Image j is image
 * k = j % N of prompt j / N and starts from noise seed {@code seed + k}: the same seeds for every
 * prompt and every variant, so a variant's image j is comparable with the reference's image j.
 */
public final class PromptSamples {
    private final Path folder;
    private final PromptEncoding encoding;
    private int cachedPrompt = -1;
    private Conditioning cached;

    private PromptSamples(Path folder, PromptEncoding encoding) {
        this.folder = folder;
        this.encoding = encoding;
    }

    /** The encoded prompts in {@code folder} (a run's prompts/KEY/). */
    public static PromptSamples open(Path folder) {
        return new PromptSamples(folder, PromptEncoding.read(folder));
    }

    public PromptEncoding encoding() {
        return encoding;
    }

    /** Images of the whole set: prompts x images per prompt. */
    public int images() {
        return encoding.images();
    }

    /** The prompt image {@code j} is sampled from. */
    public int promptOf(int image) {
        return image / encoding.imagesPerPrompt();
    }

    /** The noise seed of image {@code j}: {@code seed} plus its index among its prompt's images. */
    public long seed(long seed, int image) {
        return seed + image % encoding.imagesPerPrompt();
    }

    /** The file holding prompt {@code p}'s states. */
    public Path file(int prompt) {
        return folder.resolve(encoding.prompts().get(prompt).file());
    }

    /** Prompt {@code p}'s states fitted to {@code model} (read once while the same prompt is asked for again). */
    public Conditioning conditioning(Denoiser model, int prompt, ImageSize size, long seed) {
        if (prompt != cachedPrompt) {
            cached = model.readConditioning(file(prompt), 0, size, seed);
            cachedPrompt = prompt;
        }
        return cached;
    }
}
