package org.attnbench.text.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.pipeline.JsonFiles;

/**
 * A tokenizer folder's {@code tokenizer_config.json} and {@code special_tokens_map.json}, in both
 * styles transformers has written: special tokens as strings or as AddedToken dicts
 * ({@code {"__type": "AddedToken", "content": ...}}), and the newer {@code added_tokens_decoder}
 * ({@code {id: {"content": ...}}}). As in transformers' {@code from_pretrained}, a special token
 * that {@code special_tokens_map.json} names replaces the one in {@code tokenizer_config.json}.
 */
final class TokenizerConfig {
    static final String CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS = "special_tokens_map.json";

    private final Path folder;
    private final JsonObject config;
    private final JsonObject specialTokens;

    private TokenizerConfig(Path folder, JsonObject config, JsonObject specialTokens) {
        this.folder = folder;
        this.config = config;
        this.specialTokens = specialTokens;
    }

    static TokenizerConfig read(Path folder) {
        Path config = folder.resolve(CONFIG);
        Path special = folder.resolve(SPECIAL_TOKENS);
        return new TokenizerConfig(folder,
                Files.exists(config) ? JsonFiles.readObject(config, "tokenizer config") : new JsonObject(),
                Files.exists(special) ? JsonFiles.readObject(special, "special tokens map") : new JsonObject());
    }

    /** A special token's text (bos_token, eos_token, unk_token, pad_token), {@code fallback} when neither file names it. */
    String token(String key, String fallback) {
        JsonElement value = specialTokens.has(key) ? specialTokens.get(key) : config.get(key);
        if (value == null || value.isJsonNull()) return fallback;
        return content(value, key);
    }

    /** {@code added_tokens_decoder}: id to token text, in the file's order. */
    Map<Integer, String> addedTokens() {
        Map<Integer, String> tokens = new LinkedHashMap<>();
        JsonElement decoder = config.get("added_tokens_decoder");
        if (decoder == null || decoder.isJsonNull()) return tokens;
        if (!decoder.isJsonObject()) throw malformed("added_tokens_decoder", "an object of id to token");
        for (Map.Entry<String, JsonElement> e : decoder.getAsJsonObject().entrySet()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException x) {
                throw malformed("added_tokens_decoder", "keyed by token ids, not '" + e.getKey() + "'");
            }
            tokens.put(id, content(e.getValue(), "added_tokens_decoder." + e.getKey()));
        }
        return tokens;
    }

    /** {@code additional_special_tokens} (T5's {@code <extra_id_N>}), from whichever file names them. */
    List<String> additionalSpecialTokens() {
        String key = "additional_special_tokens";
        JsonElement value = specialTokens.has(key) ? specialTokens.get(key) : config.get(key);
        List<String> tokens = new ArrayList<>();
        if (value == null || value.isJsonNull()) return tokens;
        if (!value.isJsonArray()) throw malformed(key, "a list of tokens");
        for (JsonElement t : value.getAsJsonArray()) tokens.add(content(t, key));
        return tokens;
    }

    /** An integer setting (model_max_length, extra_ids), {@code fallback} when absent. */
    int integer(String key, int fallback) {
        JsonElement value = config.get(key);
        if (value == null || value.isJsonNull()) return fallback;
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) throw malformed(key, "a number");
        double v = value.getAsDouble();
        if (v != Math.rint(v) || v < 0) throw malformed(key, "a non-negative integer");
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v; // transformers writes 1e30 for "no limit"
    }

    /** A boolean setting (legacy), {@code fallback} when absent. */
    boolean bool(String key, boolean fallback) {
        JsonElement value = config.get(key);
        if (value == null || value.isJsonNull()) return fallback;
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) throw malformed(key, "true or false");
        return value.getAsBoolean();
    }

    private String content(JsonElement value, String key) {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) return value.getAsString();
        if (value.isJsonObject()) {
            JsonElement content = value.getAsJsonObject().get("content");
            if (content != null && content.isJsonPrimitive() && content.getAsJsonPrimitive().isString()) {
                return content.getAsString();
            }
        }
        throw malformed(key, "a token: a string or {\"content\": string, ...}");
    }

    private UserError malformed(String key, String expected) {
        return new UserError("tokenizer folder " + folder + ": " + key + " in " + CONFIG + " or " + SPECIAL_TOKENS
                + " must be " + expected);
    }
}
