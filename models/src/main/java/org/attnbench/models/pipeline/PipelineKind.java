package org.attnbench.models.pipeline;

import java.util.Arrays;
import java.util.List;
import org.attnbench.core.UserError;

/**
 * The diffusers pipeline classes attnbench runs, each with its denoiser's component, its text
 * encoders in the order its {@code encode_prompt} runs them, and its T5 prompt length when it has
 * one (the {@code max_sequence_length} default of its {@code __call__}, PixArt-α's 120 fixed in its
 * {@code encode_prompt}).
 */
public enum PipelineKind {
    STABLE_DIFFUSION("StableDiffusionPipeline", "unet", List.of("text_encoder"), 0),
    STABLE_DIFFUSION_XL("StableDiffusionXLPipeline", "unet", List.of("text_encoder", "text_encoder_2"), 0),
    STABLE_DIFFUSION_3("StableDiffusion3Pipeline", "transformer",
            List.of("text_encoder", "text_encoder_2", "text_encoder_3"), 256),
    FLUX("FluxPipeline", "transformer", List.of("text_encoder", "text_encoder_2"), 512),
    PIXART_ALPHA("PixArtAlphaPipeline", "transformer", List.of("text_encoder"), 120),
    PIXART_SIGMA("PixArtSigmaPipeline", "transformer", List.of("text_encoder"), 300);

    private final String className;
    private final String denoiser;
    private final List<String> textEncoders;
    private final int t5Length;

    PipelineKind(String className, String denoiser, List<String> textEncoders, int t5Length) {
        this.className = className;
        this.denoiser = denoiser;
        this.textEncoders = textEncoders;
        this.t5Length = t5Length;
    }

    /** The kind of a model_index.json {@code _class_name}; any other class is refused by name. */
    public static PipelineKind of(String className) {
        return Arrays.stream(values()).filter(k -> k.className.equals(className)).findFirst()
                .orElseThrow(() -> new UserError("pipeline class '" + className + "' is not supported; attnbench runs "
                        + String.join(", ", Arrays.stream(values()).map(PipelineKind::className).toList())));
    }

    public String className() {
        return className;
    }

    /** unet or transformer. */
    public String denoiser() {
        return denoiser;
    }

    public List<String> textEncoders() {
        return textEncoders;
    }

    /** The T5 prompt length this pipeline class uses by default, 0 for the CLIP-only ones. */
    public int defaultT5Length() {
        return t5Length;
    }

    /** text_encoder_2 -> tokenizer_2: diffusers pairs each text encoder with the tokenizer of the same suffix. */
    public static String tokenizerOf(String textEncoder) {
        return "tokenizer" + textEncoder.substring("text_encoder".length());
    }
}
