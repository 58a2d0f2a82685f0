package org.attnbench.models.dit;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.attnbench.core.UserError;

/**
 * A diffusers {@code PixArtTransformer2DModel} config.json (PixArt-α and PixArt-Σ), read strictly
 * like the UNet configs: every key is implemented, bookkeeping, or fixed at the one value the
 * builder implements (any other value is refused by name). Bundled: {@code pixart-sigma}
 * (PixArt-Σ XL-2 1024-MS), {@code pixart-sigma-2k} (2K-MS) and {@code pixart-tiny} (tests).
 *
 * <p>{@code use_additional_conditions} (PixArt-α 1024's resolution and aspect-ratio embeddings) is
 * not implemented; when the key is absent diffusers turns it on for {@code sample_size} 128, so
 * such a config is refused rather than silently built without them.
 */
public record PixArtConfig(String name, int heads, int headDim, int inChannels, int outChannels, int layers,
        int patchSize, int sampleSize, int crossAttentionDim, int captionChannels, double normEps,
        double interpolationScale) {
    public static final List<String> BUNDLED = List.of("pixart-sigma", "pixart-sigma-2k", "pixart-tiny");

    private static final Set<String> BOOKKEEPING = Set.of("_class_name", "_diffusers_version", "_name_or_path",
            "_use_default_values", "dropout", "upcast_attention", "num_embeds_ada_norm", "norm_num_groups",
            "num_vector_embeds", "use_linear_projection", "only_cross_attention", "double_self_attention");

    private static final Set<String> IMPLEMENTED = Set.of("num_attention_heads", "attention_head_dim", "in_channels",
            "out_channels", "num_layers", "patch_size", "sample_size", "cross_attention_dim", "caption_channels",
            "norm_eps", "interpolation_scale", "use_additional_conditions");

    private static final Map<String, JsonElement> FIXED = Map.of(
            "norm_type", new JsonPrimitive("ada_norm_single"),
            "activation_fn", new JsonPrimitive("gelu-approximate"),
            "attention_bias", new JsonPrimitive(true),
            "norm_elementwise_affine", new JsonPrimitive(false),
            "attention_type", new JsonPrimitive("default"));

    /** Model width: heads x head dim (1152 for PixArt XL-2). */
    public int dim() {
        return heads * headDim;
    }

    /** The feed-forward's hidden width (4 x dim). */
    public int ffDim() {
        return 4 * dim();
    }

    /** Whether {@code nameOrPath} names a bundled PixArt or a config.json of class (PixArt)Transformer2DModel. */
    public static boolean isPixArt(String nameOrPath) {
        if (BUNDLED.contains(nameOrPath)) return true;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(Path.of(nameOrPath)));
            JsonElement cls = root.isJsonObject() ? root.getAsJsonObject().get("_class_name") : null;
            return cls != null && List.of("PixArtTransformer2DModel", "Transformer2DModel").contains(cls.getAsString());
        } catch (IOException | RuntimeException e) {
            return false; // not a readable PixArt config: the UNet loader reports it
        }
    }

    public static PixArtConfig load(String nameOrPath) {
        if (BUNDLED.contains(nameOrPath)) {
            try (InputStream in = PixArtConfig.class.getResourceAsStream("/dit/" + nameOrPath + ".json")) {
                return parse(nameOrPath, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("bundled config " + nameOrPath + " is unreadable", e);
            }
        }
        Path path = Path.of(nameOrPath);
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new UserError("model '" + nameOrPath + "' is neither a bundled DiT config (" + String.join(", ", BUNDLED)
                    + ") nor an existing config.json");
        } catch (IOException e) {
            throw new UserError("cannot read " + nameOrPath + ": " + e.getMessage());
        }
    }

    static PixArtConfig parse(String name, String text) {
        JsonObject json;
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) throw new UserError("config " + name + " is not a JSON object");
            json = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserError("config " + name + " is not a valid config.json: " + e.getMessage());
        }
        for (Map.Entry<String, JsonElement> e : new TreeMap<>(json.asMap()).entrySet()) {
            String key = e.getKey();
            if (BOOKKEEPING.contains(key) || IMPLEMENTED.contains(key)) continue;
            JsonElement fixed = FIXED.get(key);
            if (fixed == null) throw new UserError("config " + name + ": unknown key '" + key + "'");
            if (!fixed.equals(e.getValue())) {
                throw new UserError("config " + name + ": " + key + "=" + e.getValue() + " is not supported; only "
                        + fixed + " is implemented");
            }
        }
        Reader r = new Reader(name, json);
        int sampleSize = r.integer("sample_size", 128);
        JsonElement additional = json.get("use_additional_conditions");
        boolean conditions = additional == null || additional.isJsonNull() ? sampleSize == 128 : additional.getAsBoolean();
        if (conditions) {
            throw new UserError("config " + name + ": use_additional_conditions (resolution and aspect-ratio embeddings, "
                    + "PixArt-α 1024) is not implemented; set it to false for PixArt-Σ");
        }
        int inChannels = r.integer("in_channels", 4);
        JsonElement out = json.get("out_channels");
        int outChannels = out == null || out.isJsonNull() ? inChannels : out.getAsInt();
        int heads = r.integer("num_attention_heads", 16);
        int headDim = r.integer("attention_head_dim", 72);
        int defaultScale = Math.max(sampleSize / 64, 1);
        JsonElement scale = json.get("interpolation_scale");
        PixArtConfig c = new PixArtConfig(name, heads, headDim, inChannels, outChannels, r.integer("num_layers", 28),
                r.integer("patch_size", 2), sampleSize, r.integer("cross_attention_dim", heads * headDim),
                r.integer("caption_channels", 4096), r.number("norm_eps", 1e-6),
                scale == null || scale.isJsonNull() ? defaultScale : scale.getAsDouble());
        if (c.crossAttentionDim() != c.dim()) {
            throw new UserError("config " + name + ": cross_attention_dim " + c.crossAttentionDim() + " differs from the "
                    + "width " + c.dim() + "; PixArt projects captions to the width, so they must be equal");
        }
        return c;
    }

    private record Reader(String name, JsonObject json) {
        int integer(String key, int fallback) {
            JsonElement e = json.get(key);
            if (e == null || e instanceof JsonNull) return fallback;
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                    || e.getAsInt() < 1) {
                throw new UserError("config " + name + ": " + key + " must be a positive integer, got " + e);
            }
            return e.getAsInt();
        }

        double number(String key, double fallback) {
            JsonElement e = json.get(key);
            if (e == null || e instanceof JsonNull) return fallback;
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new UserError("config " + name + ": " + key + " must be a number, got " + e);
            }
            return e.getAsDouble();
        }
    }
}
