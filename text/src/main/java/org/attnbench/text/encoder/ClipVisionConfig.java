package org.attnbench.text.encoder;

import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.dit.ConfigJson;

/**
 * transformers' {@code CLIPVisionConfig} (model_type {@code clip_vision_model}), CLIP's image tower,
 * as a CLIPModel's {@code vision_config} holds it, with transformers' defaults for absent keys.
 *
 * @param imageSize the side of the square input the position table was made for
 * @param patchSize the side of each patch, so the tower sees (imageSize / patchSize)^2 patches plus a class token
 */
public record ClipVisionConfig(String name, int hiddenSize, int intermediateSize, int layers, int heads, int imageSize,
        int patchSize, double layerNormEps, ClipTextConfig.Activation activation) {
    static final String MODEL_TYPE = "clip_vision_model";
    private static final Set<String> BOOKKEEPING = TransformersKeys.harmlessAnd("attention_dropout", "dropout",
            "initializer_factor", "initializer_range", "model_type", "eos_token_id", "projection_dim");
    private static final Set<String> IMPLEMENTED = Set.of("hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads", "image_size", "patch_size", "hidden_act", "layer_norm_eps");

    static ClipVisionConfig read(ConfigJson r) {
        r.checkKeys(BOOKKEEPING, IMPLEMENTED, Map.of("num_channels", new com.google.gson.JsonPrimitive(3)));
        String act = TextEncoderConfig.string(r, "hidden_act");
        ClipTextConfig.Activation activation = act == null ? ClipTextConfig.Activation.QUICK_GELU : switch (act) {
            case "quick_gelu" -> ClipTextConfig.Activation.QUICK_GELU;
            case "gelu" -> ClipTextConfig.Activation.GELU;
            default -> throw new UserError("config " + r.name() + ": hidden_act '" + act + "' is not supported; "
                    + "quick_gelu and gelu are implemented");
        };
        ClipVisionConfig c = new ClipVisionConfig(r.name(), r.integer("hidden_size", 768), r.integer("intermediate_size", 3072),
                r.integer("num_hidden_layers", 12), r.integer("num_attention_heads", 12), r.integer("image_size", 224),
                r.integer("patch_size", 32), r.number("layer_norm_eps", 1e-5), activation);
        if (c.hiddenSize % c.heads != 0) {
            throw new UserError("config " + r.name() + ": num_attention_heads " + c.heads + " does not divide hidden_size " + c.hiddenSize);
        }
        if (c.imageSize % c.patchSize != 0) {
            throw new UserError("config " + r.name() + ": patch_size " + c.patchSize + " does not divide image_size " + c.imageSize);
        }
        return c;
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    /** Patches per side. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Tokens the encoder sees: every patch and the class token. */
    public int tokens() {
        return grid() * grid() + 1;
    }
}
