package org.attnbench.models.pipeline;

import java.util.List;

/** What a pipeline component is, by its name, and the classes of it that attnbench loads. */
enum ComponentRole {
    UNET("a UNet", List.of("UNet2DConditionModel")),
    TRANSFORMER("a diffusion transformer",
            List.of("PixArtTransformer2DModel", "Transformer2DModel", "SD3Transformer2DModel", "FluxTransformer2DModel")),
    VAE("a VAE", List.of("AutoencoderKL")),
    SCHEDULER("a scheduler", List.of("PNDMScheduler", "DDIMScheduler", "EulerDiscreteScheduler",
            "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler", "FlowMatchEulerDiscreteScheduler")),
    TEXT_ENCODER("a text encoder", List.of("CLIPTextModel", "CLIPTextModelWithProjection", "T5EncoderModel")),
    TOKENIZER("a tokenizer", List.of("CLIPTokenizer", "CLIPTokenizerFast", "T5Tokenizer", "T5TokenizerFast"));

    private final String what;
    private final List<String> classes;

    ComponentRole(String what, List<String> classes) {
        this.what = what;
        this.classes = classes;
    }

    /** The role of a component name (text_encoder_2 is a text encoder), or null for parts attnbench never loads. */
    static ComponentRole of(String component) {
        if (component.equals("unet")) return UNET;
        if (component.equals("transformer")) return TRANSFORMER;
        if (component.equals("vae")) return VAE;
        if (component.equals("scheduler")) return SCHEDULER;
        if (component.matches("text_encoder(_\\d+)?")) return TEXT_ENCODER;
        if (component.matches("tokenizer(_\\d+)?")) return TOKENIZER;
        return null;
    }

    List<String> classes() {
        return classes;
    }

    String describe() {
        return what + " is one of";
    }
}
