package org.attnbench.models.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.tensor.HostTensor;

/**
 * A Keras functional model saved in TF.js's layers format: {@code model.json} (the Keras
 * topology plus a weights manifest) and the binary shards beside it. Weights are float32 by
 * their Keras names ({@code conv2d_1/kernel}, {@code batch_normalization_1/moving_mean}).
 */
public record TfjsLayersModel(String convertedBy, Map<String, KerasLayer> layers, List<String> inputs,
                              List<String> outputs, Map<String, HostTensor> weights) {

    /** Reads {@code model.json} and the shards its manifest names (relative to its folder). */
    public static TfjsLayersModel read(Path modelJson) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(modelJson)).getAsJsonObject();
        } catch (NoSuchFileException e) {
            throw new UserError("no TF.js model at " + modelJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelJson, e);
        } catch (RuntimeException e) {
            throw new UserError(modelJson + " is not a TF.js model.json: " + e.getMessage(), e);
        }
        JsonObject topology = root.getAsJsonObject("modelTopology");
        if (topology == null || !root.has("weightsManifest")) {
            throw new UserError(modelJson + " lacks modelTopology or weightsManifest (is it a TF.js layers model?)");
        }
        JsonObject config = topology.has("model_config") ? topology.getAsJsonObject("model_config").getAsJsonObject("config")
                : topology.getAsJsonObject("config");
        Map<String, KerasLayer> layers = new LinkedHashMap<>();
        for (JsonElement l : config.getAsJsonArray("layers")) {
            KerasLayer layer = KerasLayer.parse(l.getAsJsonObject());
            layers.put(layer.name(), layer);
        }
        String by = root.has("convertedBy") && !root.get("convertedBy").isJsonNull() ? root.get("convertedBy").getAsString() : "";
        return new TfjsLayersModel(by, layers, names(config, "input_layers"), names(config, "output_layers"),
                TfjsWeights.read(root.getAsJsonArray("weightsManifest"), modelJson.toAbsolutePath().getParent()));
    }

    private static List<String> names(JsonObject config, String key) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : config.getAsJsonArray(key)) out.add(e.getAsJsonArray().get(0).getAsString());
        return out;
    }

    public KerasLayer layer(String name) {
        KerasLayer l = layers.get(name);
        if (l == null) throw new UserError("the model has no layer '" + name + "'");
        return l;
    }

    /** The weight {@code layer/variable}, e.g. ("conv2d_1", "kernel"). */
    public HostTensor weight(String layer, String variable) {
        HostTensor t = weights.get(layer + "/" + variable);
        if (t == null) throw new UserError("the model's weights lack '" + layer + "/" + variable + "'");
        return t;
    }

    /** How many layers read the output of {@code name}. */
    public int consumers(String name) {
        int n = 0;
        for (KerasLayer l : layers.values()) {
            for (String in : l.inbound()) if (in.equals(name)) n++;
        }
        return n;
    }
}
