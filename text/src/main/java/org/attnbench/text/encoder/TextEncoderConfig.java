package org.attnbench.text.encoder;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.dit.ConfigJson;
import org.attnbench.models.unet.WeightSource;

/**
 * A transformers text encoder's config.json, read strictly (unknown keys refused by name), and the
 * graph it describes. The class comes from {@code architectures}, else from {@code model_type}.
 *
 * <p>Every graph takes {@value #INPUT_IDS} and {@value #ATTENTION_MASK} (int64 [P, L], 1 where a
 * token is attended, 0 where it is not) and gives float32 outputs named as transformers' own.
 */
public sealed interface TextEncoderConfig permits ClipTextConfig, T5EncoderConfig {
    String INPUT_IDS = "input_ids";
    String ATTENTION_MASK = "attention_mask";
    /** [P, L, D], after the final norm. */
    String LAST_HIDDEN_STATE = "last_hidden_state";
    /** [P, L, D]: CLIP's {@code hidden_states[-2]}, the second-to-last layer's output, not normed. */
    String PENULTIMATE_HIDDEN_STATE = "penultimate_hidden_state";
    /** [P, D]: CLIP's final-normed state at the end-of-text token. */
    String POOLER_OUTPUT = "pooler_output";
    /** [P, E]: CLIPTextModelWithProjection's projection of the pooled state. */
    String TEXT_EMBEDS = "text_embeds";

    /** Where the config was read from. */
    String name();

    /** The transformers class: CLIPTextModel, CLIPTextModelWithProjection or T5EncoderModel. */
    String modelClass();

    /** The graph's outputs, in order. */
    List<String> outputs();

    /** The longest sequence the model takes (CLIP: its position table; T5: no limit). */
    int maxLength();

    /** Token ids run from 0 to this, exclusive. */
    int vocabSize();

    /** The graph for {@code batch} sequences of {@code length} tokens, its weights read from {@code weights}. */
    OnnxModel graph(WeightSource weights, int batch, int length);

    /** Every weight the graph reads, by transformers name, with its shape. */
    default Map<String, long[]> expectedWeights() {
        return EncoderWeights.expected(this);
    }

    /** The config.json at {@code path}. */
    static TextEncoderConfig read(Path path) {
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UserError("text encoder config " + path + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read text encoder config " + path + ": " + e.getMessage());
        }
    }

    static TextEncoderConfig parse(String name, String text) {
        ConfigJson json = ConfigJson.parse(name, text);
        String modelType = string(json, "model_type");
        String architecture = architecture(json);
        String cls = architecture != null ? architecture
                : ClipTextConfig.MODEL_TYPE.equals(modelType) ? ClipTextConfig.CLASS
                : T5EncoderConfig.MODEL_TYPE.equals(modelType) ? T5EncoderConfig.CLASS : null;
        if (cls == null) {
            throw new UserError("config " + name + ": model_type " + (modelType == null ? "(absent)" : "'" + modelType + "'")
                    + " is not a text encoder attnbench builds; it builds " + ClipTextConfig.CLASS + ", "
                    + ClipTextConfig.WITH_PROJECTION + " and " + T5EncoderConfig.CLASS);
        }
        return switch (cls) {
            case ClipTextConfig.CLASS, ClipTextConfig.WITH_PROJECTION -> {
                requireModelType(json, modelType, ClipTextConfig.MODEL_TYPE, cls);
                yield ClipTextConfig.read(json, cls.equals(ClipTextConfig.WITH_PROJECTION));
            }
            case T5EncoderConfig.CLASS -> {
                requireModelType(json, modelType, T5EncoderConfig.MODEL_TYPE, cls);
                yield T5EncoderConfig.read(json);
            }
            default -> throw new UserError("config " + name + ": architectures " + cls + " is not a text encoder attnbench "
                    + "builds; it builds " + ClipTextConfig.CLASS + ", " + ClipTextConfig.WITH_PROJECTION + " and "
                    + T5EncoderConfig.CLASS);
        };
    }

    private static String architecture(ConfigJson json) {
        JsonElement e = json.get("architectures");
        if (e == null) return null;
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 1 || !e.getAsJsonArray().get(0).isJsonPrimitive()) {
            throw new UserError("config " + json.name() + ": architectures must list one class, got " + e);
        }
        JsonArray a = e.getAsJsonArray();
        return a.get(0).getAsString();
    }

    private static void requireModelType(ConfigJson json, String modelType, String expected, String cls) {
        if (modelType != null && !modelType.equals(expected)) {
            throw new UserError("config " + json.name() + ": model_type '" + modelType + "' does not match " + cls
                    + ", whose model_type is '" + expected + "'");
        }
    }

    /** A string value, or null when absent. */
    static String string(ConfigJson json, String key) {
        JsonElement e = json.get(key);
        if (e == null) return null;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new UserError("config " + json.name() + ": " + key + " must be a string, got " + e);
        }
        return e.getAsString();
    }
}
