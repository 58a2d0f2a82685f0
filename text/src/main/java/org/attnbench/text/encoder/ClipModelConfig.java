package org.attnbench.text.encoder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.dit.ConfigJson;

/**
 * transformers' {@code CLIPConfig} (model_type {@code clip}) of a {@code CLIPModel} folder: both towers
 * and the width both project to. The text tower is a {@link ClipTextConfig} with projection to the
 * model's {@code projection_dim} (a tower's own {@code projection_dim} is not what CLIPModel uses);
 * configs saved by transformers 4.x may carry {@code text_config_dict} and {@code vision_config_dict},
 * whose keys override the plain ones, as transformers reads them.
 */
public record ClipModelConfig(String name, ClipTextConfig text, ClipVisionConfig vision, int projectionDim) {
    static final String CLASS = "CLIPModel";
    static final String MODEL_TYPE = "clip";
    private static final Set<String> BOOKKEEPING = TransformersKeys.harmlessAnd("initializer_factor",
            "logit_scale_init_value", "initializer_range");
    private static final Set<String> IMPLEMENTED = Set.of("architectures", "model_type", "text_config", "vision_config",
            "text_config_dict", "vision_config_dict", "projection_dim");

    /** The config.json of a CLIPModel folder. */
    public static ClipModelConfig read(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (NoSuchFileException e) {
            throw new UserError("CLIP config " + configJson + " does not exist (a transformers CLIPModel folder holds config.json)");
        } catch (IOException e) {
            throw new UserError("cannot read CLIP config " + configJson + ": " + e.getMessage());
        }
        return parse(configJson.toString(), text);
    }

    static ClipModelConfig parse(String name, String text) {
        ConfigJson json = ConfigJson.parse(name, text);
        String modelType = TextEncoderConfig.string(json, "model_type");
        if (!MODEL_TYPE.equals(modelType)) {
            throw new UserError("config " + name + ": model_type " + (modelType == null ? "(absent)" : "'" + modelType + "'")
                    + " is not a CLIPModel's ('clip')");
        }
        JsonElement architectures = json.get("architectures");
        if (architectures != null && !architectures.toString().equals("[\"" + CLASS + "\"]")) {
            throw new UserError("config " + name + ": architectures " + architectures + " is not [\"" + CLASS + "\"]");
        }
        json.checkKeys(BOOKKEEPING, IMPLEMENTED, Map.of());
        int projection = json.integer("projection_dim", 512);
        ConfigJson textJson = tower(json, "text_config", ClipTextConfig.MODEL_TYPE);
        ConfigJson visionJson = tower(json, "vision_config", ClipVisionConfig.MODEL_TYPE);
        ClipTextConfig t = ClipTextConfig.read(textJson, true);
        ClipTextConfig projected = new ClipTextConfig(t.name(), true, t.vocabSize(), t.hiddenSize(), t.intermediateSize(),
                t.layers(), t.heads(), t.maxPositions(), t.layerNormEps(), t.activation(), t.eosTokenId(), projection);
        return new ClipModelConfig(name, projected, ClipVisionConfig.read(visionJson), projection);
    }

    /** A tower's config: {@code key}, overlaid by {@code key_dict} where present; its model_type, when given, checked. */
    private static ConfigJson tower(ConfigJson json, String key, String modelType) {
        JsonObject merged = new JsonObject();
        for (String k : new String[] {key, key + "_dict"}) {
            JsonElement e = json.get(k);
            if (e == null) continue;
            if (!e.isJsonObject()) throw new UserError("config " + json.name() + ": " + k + " must be an object, got " + e);
            e.getAsJsonObject().entrySet().forEach(entry -> merged.add(entry.getKey(), entry.getValue()));
        }
        ConfigJson tower = new ConfigJson(json.name() + " " + key, merged);
        String type = TextEncoderConfig.string(tower, "model_type");
        if (type != null && !type.equals(modelType)) {
            throw new UserError("config " + tower.name() + ": model_type '" + type + "' is not '" + modelType + "'");
        }
        return tower;
    }
}
