package org.attnbench.models.dit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;

/**
 * A diffusers {@code PixArtTransformer2DModel} config.json (PixArt-α and PixArt-Σ), read strictly
 * like the UNet configs: every key is implemented, bookkeeping, or fixed at the one value the
 * builder implements (any other value is refused by name). Bundled: {@code pixart-sigma}
 * (PixArt-Σ XL-2 1024-MS), {@code pixart-sigma-2k} (2K-MS), {@code pixart-alpha} (PixArt-α XL-2
 * 1024-MS) and {@code pixart-tiny} (tests).
 *
 * <p>{@code use_additional_conditions} (PixArt-α 1024's resolution and aspect-ratio embeddings,
 * added to the timestep embedding): when the key is absent diffusers turns it on for
 * {@code sample_size} 128, and so does this reader. The embeddings are a third of the width each
 * (the resolution's two, the aspect ratio's one), so the width must divide by 3.
 */
public record PixArtConfig(String name, int heads, int headDim, int inChannels, int outChannels, int layers,
        int patchSize, int sampleSize, int crossAttentionDim, int captionChannels, double normEps,
        double interpolationScale, boolean additionalConditions) {
    public static final List<String> BUNDLED = List.of("pixart-sigma", "pixart-sigma-2k", "pixart-alpha", "pixart-tiny");

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
        return ConfigJson.isOfClass(nameOrPath, BUNDLED, List.of("PixArtTransformer2DModel", "Transformer2DModel"));
    }

    public static PixArtConfig load(String nameOrPath) {
        return read(ConfigJson.load(nameOrPath, BUNDLED));
    }

    /** A config.json given as text, named {@code name} in messages. */
    public static PixArtConfig parse(String name, String text) {
        return read(ConfigJson.parse(name, text));
    }

    private static PixArtConfig read(ConfigJson r) {
        r.checkKeys(BOOKKEEPING, IMPLEMENTED, FIXED);
        String name = r.name();
        JsonObject json = r.json();
        int sampleSize = r.integer("sample_size", 128);
        JsonElement additional = json.get("use_additional_conditions");
        if (additional != null && !additional.isJsonNull()
                && !(additional.isJsonPrimitive() && additional.getAsJsonPrimitive().isBoolean())) {
            throw new UserError("config " + name + ": use_additional_conditions must be true, false or null, got " + additional);
        }
        boolean conditions = additional == null || additional.isJsonNull() ? sampleSize == 128 : additional.getAsBoolean();
        int inChannels = r.integer("in_channels", 4);
        int outChannels = r.integer("out_channels", inChannels);
        int heads = r.integer("num_attention_heads", 16);
        int headDim = r.integer("attention_head_dim", 72);
        int defaultScale = Math.max(sampleSize / 64, 1);
        JsonElement scale = json.get("interpolation_scale");
        PixArtConfig c = new PixArtConfig(name, heads, headDim, inChannels, outChannels, r.integer("num_layers", 28),
                r.integer("patch_size", 2), sampleSize, r.integer("cross_attention_dim", heads * headDim),
                r.integer("caption_channels", 4096), r.number("norm_eps", 1e-6),
                scale == null || scale.isJsonNull() ? defaultScale : scale.getAsDouble(), conditions);
        SizeLimits.checkWidth(r.name(), c.heads(), c.headDim());
        if (c.crossAttentionDim() != c.dim()) {
            throw new UserError("config " + name + ": cross_attention_dim " + c.crossAttentionDim() + " differs from the "
                    + "width " + c.dim() + "; PixArt projects captions to the width, so they must be equal");
        }
        if (conditions && c.dim() % 3 != 0) {
            throw new UserError("config " + name + ": use_additional_conditions needs a width divisible by 3 (its size "
                    + "embeddings are a third of it each), got " + c.dim());
        }
        return c;
    }

    /** The width of each size embedding (resolution height, width, aspect ratio): a third of the model's. */
    public int sizeEmbeddingDim() {
        return dim() / 3;
    }
}
