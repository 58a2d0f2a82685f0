package org.attnbench.text.encoder;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.dit.ConfigJson;
import org.attnbench.models.unet.WeightSource;

/**
 * transformers' {@code CLIPTextConfig} (model_type {@code clip_text_model}) for
 * {@code CLIPTextModel} and {@code CLIPTextModelWithProjection}, with transformers' defaults for
 * absent keys.
 *
 * @param eosTokenId where {@code pooler_output} is taken: the first position holding this id, or,
 *     when it is {@value #LEGACY_EOS} (configs written before transformers corrected it), the first
 *     position of the largest id, as transformers does
 * @param projectionDim the width of {@code text_embeds} (used only with projection)
 */
public record ClipTextConfig(String name, boolean withProjection, int vocabSize, int hiddenSize, int intermediateSize,
        int layers, int heads, int maxPositions, double layerNormEps, Activation activation, int eosTokenId,
        int projectionDim) implements TextEncoderConfig {
    static final String CLASS = "CLIPTextModel";
    static final String WITH_PROJECTION = "CLIPTextModelWithProjection";
    static final String MODEL_TYPE = "clip_text_model";
    /** The eos_token_id of configs saved before transformers 4.31, for which it pools at the largest id. */
    public static final int LEGACY_EOS = 2;
    /** Ids are compared as float32 to find the pooled position, which holds every id below 2^24 exactly. */
    private static final int MAX_EXACT_ID = 1 << 24;

    /** The feed-forward's activation ({@code hidden_act}). */
    public enum Activation {
        /** x sigmoid(1.702 x), OpenAI CLIP's. */
        QUICK_GELU("quick_gelu"),
        /** The exact, erf GELU. */
        GELU("gelu");

        private final String key;

        Activation(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private static final Set<String> BOOKKEEPING = TransformersKeys.harmlessAnd("attention_dropout", "dropout",
            "initializer_factor", "initializer_range");
    private static final Set<String> IMPLEMENTED = Set.of("architectures", "model_type", "vocab_size", "hidden_size",
            "intermediate_size", "num_hidden_layers", "num_attention_heads", "max_position_embeddings", "hidden_act",
            "layer_norm_eps", "eos_token_id", "projection_dim");

    static ClipTextConfig read(ConfigJson r, boolean withProjection) {
        r.checkKeys(BOOKKEEPING, IMPLEMENTED, Map.of());
        String act = TextEncoderConfig.string(r, "hidden_act");
        Activation activation = act == null ? Activation.QUICK_GELU : switch (act) {
            case "quick_gelu" -> Activation.QUICK_GELU;
            case "gelu" -> Activation.GELU;
            default -> throw new UserError("config " + r.name() + ": hidden_act '" + act + "' is not supported; "
                    + "quick_gelu and gelu are implemented");
        };
        ClipTextConfig c = new ClipTextConfig(r.name(), withProjection, r.integer("vocab_size", 49408),
                r.integer("hidden_size", 512), r.integer("intermediate_size", 2048), r.integer("num_hidden_layers", 12),
                r.integer("num_attention_heads", 8), r.integer("max_position_embeddings", 77),
                r.number("layer_norm_eps", 1e-5), activation, eosTokenId(r), r.integer("projection_dim", 512));
        if (c.hiddenSize % c.heads != 0) {
            throw new UserError("config " + r.name() + ": num_attention_heads " + c.heads + " does not divide hidden_size "
                    + c.hiddenSize);
        }
        if (c.vocabSize > MAX_EXACT_ID) {
            throw new UserError("config " + r.name() + ": vocab_size " + c.vocabSize + " is over " + MAX_EXACT_ID
                    + ", the most the pooled position's lookup holds");
        }
        return c;
    }

    private static int eosTokenId(ConfigJson r) {
        JsonElement e = r.get("eos_token_id");
        if (e == null) return 49407;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() < 0) {
            throw new UserError("config " + r.name() + ": eos_token_id must be one token id, got " + e);
        }
        return e.getAsInt();
    }

    /** Whether the pooled state is taken at the largest id rather than at the first {@link #eosTokenId}. */
    public boolean poolsAtLargestId() {
        return eosTokenId == LEGACY_EOS;
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    @Override
    public String modelClass() {
        return withProjection ? WITH_PROJECTION : CLASS;
    }

    @Override
    public List<String> outputs() {
        return withProjection ? List.of(LAST_HIDDEN_STATE, PENULTIMATE_HIDDEN_STATE, POOLER_OUTPUT, TEXT_EMBEDS)
                : List.of(LAST_HIDDEN_STATE, PENULTIMATE_HIDDEN_STATE, POOLER_OUTPUT);
    }

    @Override
    public int maxLength() {
        return maxPositions;
    }

    @Override
    public OnnxModel graph(WeightSource weights, int batch, int length) {
        return ClipTextGraph.build(this, weights, batch, length);
    }
}
