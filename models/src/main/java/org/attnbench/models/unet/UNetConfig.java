package org.attnbench.models.unet;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.attnbench.core.Reasons;
import org.attnbench.core.Suggest;
import org.attnbench.core.UserError;
import org.attnbench.models.ConfigText;
import org.attnbench.models.SizeLimits;

/**
 * A diffusers {@code UNet2DConditionModel} config.json, read strictly: every key is either one the
 * builder implements, bookkeeping ({@code _class_name}, ...), or one whose only supported value
 * is diffusers' default (then any other value is refused by name). Bundled configs: {@code sd15},
 * {@code sd21}, {@code sdxl} and {@code tiny} (for tests).
 *
 * <p>Per-level lists ({@code attention_head_dim}, {@code transformer_layers_per_block}) may be a
 * single number, as in diffusers. When {@code num_attention_heads} is null, diffusers reads
 * {@code attention_head_dim} as the number of heads (SD 1.5: 8 heads at every level).
 */
public final class UNetConfig {
    public static final List<String> BUNDLED = List.of("sd15", "sd21", "sdxl", "tiny");
    public static final String CROSS_ATTN_DOWN = "CrossAttnDownBlock2D";
    public static final String DOWN = "DownBlock2D";
    public static final String CROSS_ATTN_UP = "CrossAttnUpBlock2D";
    public static final String UP = "UpBlock2D";
    public static final String MID = "UNetMidBlock2DCrossAttn";

    /**
     * Keys with no effect on an fp32 inference graph: bookkeeping, a head count used only by other
     * embedding types, upcast_attention (attention is float32 here anyway) and dropout (off at inference).
     */
    private static final Set<String> BOOKKEEPING = Set.of("_class_name", "_diffusers_version", "_name_or_path",
            "_use_default_values", "addition_embed_type_num_heads", "upcast_attention", "dropout");

    /** Keys the builder does not implement, with the values that mean "off" in diffusers. */
    private static final Map<String, List<JsonElement>> FIXED = fixedKeys();

    private static final Set<String> IMPLEMENTED = Set.of("in_channels", "out_channels", "block_out_channels",
            "layers_per_block", "down_block_types", "up_block_types", "mid_block_type", "attention_head_dim",
            "num_attention_heads", "cross_attention_dim", "use_linear_projection", "transformer_layers_per_block",
            "norm_num_groups", "norm_eps", "flip_sin_to_cos", "freq_shift", "addition_embed_type",
            "projection_class_embeddings_input_dim", "addition_time_embed_dim", "sample_size");

    private final String name;
    private final JsonObject json;
    private final int[] blockOutChannels;
    private final List<String> downBlockTypes;
    private final List<String> upBlockTypes;
    private final int[] heads;
    private final int[] transformerLayers;

    private UNetConfig(String name, JsonObject json) {
        this.name = name;
        this.json = json;
        checkKeys();
        this.blockOutChannels = intList("block_out_channels", -1);
        int levels = blockOutChannels.length;
        if (levels > SizeLimits.LEVELS) {
            throw bad("block_out_channels", Arrays.toString(blockOutChannels), "at most " + SizeLimits.LEVELS + " levels (SD has 4)");
        }
        this.downBlockTypes = strings("down_block_types", levels, Set.of(CROSS_ATTN_DOWN, DOWN));
        this.upBlockTypes = strings("up_block_types", levels, Set.of(CROSS_ATTN_UP, UP));
        JsonElement numHeads = json.get("num_attention_heads");
        this.heads = numHeads == null || numHeads.isJsonNull()
                ? intList("attention_head_dim", levels) : intList("num_attention_heads", levels);
        JsonElement layers = json.get("transformer_layers_per_block");
        this.transformerLayers = layers == null || layers.isJsonNull()
                ? filled(levels, 1) : intList("transformer_layers_per_block", levels);
        for (int i = 0; i < levels; i++) {
            if (blockOutChannels[i] % heads[i] != 0) {
                throw bad("attention_head_dim", Arrays.toString(heads), "heads must divide block_out_channels "
                        + Arrays.toString(blockOutChannels));
            }
            if (blockOutChannels[i] % normNumGroups() != 0) {
                throw bad("norm_num_groups", Integer.toString(normNumGroups()), "it must divide every block_out_channels");
            }
        }
        if (addTextTime() && (!json.has("addition_time_embed_dim") || !json.has("projection_class_embeddings_input_dim"))) {
            throw new UserError("config " + name + ": addition_embed_type text_time needs addition_time_embed_dim and "
                    + "projection_class_embeddings_input_dim");
        }
    }

    /** A bundled config by name, or a path to a diffusers config.json. */
    public static UNetConfig load(String nameOrPath) {
        ConfigText config = ConfigText.read(nameOrPath, "unet", BUNDLED);
        return parse(config.name(), config.text());
    }

    static UNetConfig parse(String name, String text) {
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) throw new UserError("config " + name + " is not a JSON object");
            return new UNetConfig(name, root.getAsJsonObject());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new UserError("config " + name + " is not a valid config.json: " + Reasons.of(e));
        }
    }

    /** The diffusers classes attnbench builds, for a config of another class. */
    static final List<String> MODEL_CLASSES = List.of("UNet2DConditionModel", "PixArtTransformer2DModel",
            "SD3Transformer2DModel", "FluxTransformer2DModel");

    private void checkKeys() {
        JsonElement cls = json.get("_class_name");
        if (cls != null && !cls.equals(new JsonPrimitive("UNet2DConditionModel"))) {
            String given = cls.isJsonPrimitive() ? cls.getAsString() : cls.toString();
            throw new UserError("config " + name + ": _class_name '" + given + "' is not a model attnbench builds ("
                    + String.join(", ", MODEL_CLASSES) + ")" + Suggest.hint(given, MODEL_CLASSES));
        }
        for (Map.Entry<String, JsonElement> e : new TreeMap<>(json.asMap()).entrySet()) {
            String key = e.getKey();
            if (BOOKKEEPING.contains(key) || IMPLEMENTED.contains(key)) continue;
            List<JsonElement> allowed = FIXED.get(key);
            if (allowed == null) throw new UserError("config " + name + ": unknown key '" + key + "'");
            if (!allowed.contains(e.getValue())) {
                throw bad(key, e.getValue().toString(), "only " + allowed + " is implemented");
            }
        }
        String mid = string("mid_block_type", MID);
        if (!mid.equals(MID)) throw bad("mid_block_type", mid, "only " + MID + " is implemented");
        String add = string("addition_embed_type", null);
        if (add != null && !add.equals("text_time")) throw bad("addition_embed_type", add, "only text_time or null is implemented");
    }

    private static Map<String, List<JsonElement>> fixedKeys() {
        JsonElement nul = JsonNull.INSTANCE;
        Map<String, List<JsonElement>> m = new TreeMap<>();
        m.put("act_fn", List.of(new JsonPrimitive("silu")));
        m.put("center_input_sample", List.of(new JsonPrimitive(false)));
        m.put("class_embed_type", List.of(nul));
        m.put("class_embeddings_concat", List.of(new JsonPrimitive(false)));
        m.put("conv_in_kernel", List.of(new JsonPrimitive(3)));
        m.put("conv_out_kernel", List.of(new JsonPrimitive(3)));
        m.put("cross_attention_norm", List.of(nul));
        m.put("downsample_padding", List.of(new JsonPrimitive(1)));
        m.put("dual_cross_attention", List.of(new JsonPrimitive(false)));
        m.put("encoder_hid_dim", List.of(nul));
        m.put("encoder_hid_dim_type", List.of(nul));
        m.put("mid_block_only_cross_attention", List.of(nul, new JsonPrimitive(false)));
        m.put("mid_block_scale_factor", List.of(new JsonPrimitive(1)));
        m.put("num_class_embeds", List.of(nul));
        m.put("only_cross_attention", List.of(new JsonPrimitive(false)));
        m.put("resnet_out_scale_factor", List.of(new JsonPrimitive(1)));
        m.put("resnet_skip_time_act", List.of(new JsonPrimitive(false)));
        m.put("resnet_time_scale_shift", List.of(new JsonPrimitive("default")));
        m.put("reverse_transformer_layers_per_block", List.of(nul));
        m.put("time_cond_proj_dim", List.of(nul));
        m.put("time_embedding_act_fn", List.of(nul));
        m.put("time_embedding_dim", List.of(nul));
        m.put("time_embedding_type", List.of(new JsonPrimitive("positional")));
        m.put("timestep_post_act", List.of(nul));
        m.put("attention_type", List.of(new JsonPrimitive("default")));
        return m;
    }

    public String name() { return name; }

    public int inChannels() { return integer("in_channels", 4); }

    public int outChannels() { return integer("out_channels", 4); }

    public int[] blockOutChannels() { return blockOutChannels.clone(); }

    public int levels() { return blockOutChannels.length; }

    public int layersPerBlock() { return integer("layers_per_block", 2); }

    public List<String> downBlockTypes() { return downBlockTypes; }

    public List<String> upBlockTypes() { return upBlockTypes; }

    /** Attention heads of each down level (head dim = channels / heads). */
    public int[] heads() { return heads.clone(); }

    /** Transformer blocks per Transformer2DModel at each down level. */
    public int[] transformerLayersPerBlock() { return transformerLayers.clone(); }

    public int crossAttentionDim() { return integer("cross_attention_dim", 1280); }

    /** proj_in / proj_out are Linear (true) or 1x1 Conv2d (false). */
    public boolean useLinearProjection() { return bool("use_linear_projection", false); }

    public int normNumGroups() { return integer("norm_num_groups", 32); }

    public double normEps() { return number("norm_eps", 1e-5); }

    public boolean flipSinToCos() { return bool("flip_sin_to_cos", true); }

    public double freqShift() { return number("freq_shift", 0); }

    /** SDXL's micro-conditioning: text_embeds and time_ids added to the time embedding. */
    public boolean addTextTime() { return "text_time".equals(string("addition_embed_type", null)); }

    public int additionTimeEmbedDim() { return integer("addition_time_embed_dim", 0); }

    public int projectionClassEmbeddingsInputDim() { return integer("projection_class_embeddings_input_dim", 0); }

    /** Latent size the model was trained at (SD 1.5: 64, i.e. 512 px). */
    public int sampleSize() { return integer("sample_size", 64); }

    /** Time embedding width: 4 x block_out_channels[0]. */
    public int timeEmbedDim() { return 4 * blockOutChannels[0]; }

    /** Factor between the latent and the deepest level: 2^(number of downsamplers). */
    public int totalDownsampling() { return 1 << (levels() - 1); }

    /** Width of SDXL's pooled text embedding: the projection input less the six embedded time ids. */
    public int textEmbedsDim() { return projectionClassEmbeddingsInputDim() - 6 * additionTimeEmbedDim(); }

    private int integer(String key, int fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() < 1) {
            throw bad(key, e.toString(), "a positive integer");
        }
        return withinLimit(key, e);
    }

    private double number(String key, double fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw bad(key, e.toString(), "a number");
        return e.getAsDouble();
    }

    private boolean bool(String key, boolean fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) throw bad(key, e.toString(), "true or false");
        return e.getAsBoolean();
    }

    private String string(String key, String fallback) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) return fallback;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw bad(key, e.toString(), "a string");
        return e.getAsString();
    }

    /** A list of positive integers, or one number repeated; {@code length} -1 for any length. */
    private int[] intList(String key, int length) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) throw new UserError("config " + name + ": key '" + key + "' is required");
        if (e.isJsonPrimitive()) {
            if (length < 0) throw bad(key, e.toString(), "a list of positive integers");
            return filled(length, integerValue(key, e));
        }
        if (!e.isJsonArray()) throw bad(key, e.toString(), "a list of positive integers");
        List<Integer> values = new ArrayList<>();
        for (JsonElement v : e.getAsJsonArray()) values.add(integerValue(key, v));
        if (values.isEmpty() || (length >= 0 && values.size() != length)) {
            throw bad(key, e.toString(), length < 0 ? "a non-empty list" : "one value per level (" + length + ")");
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private int integerValue(String key, JsonElement v) {
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsDouble() != Math.rint(v.getAsDouble())
                || v.getAsDouble() < 1) {
            throw bad(key, v.toString(), "positive integers");
        }
        return withinLimit(key, v);
    }

    private int withinLimit(String key, JsonElement v) {
        int max = SizeLimits.forConfigKey(key);
        if (v.getAsDouble() > max) throw bad(key, v.toString(), "attnbench takes at most " + max + " (far above any real model's)");
        return v.getAsInt();
    }

    private List<String> strings(String key, int length, Set<String> allowed) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() != length) {
            throw bad(key, String.valueOf(e), "a list of " + length + " block types (one per block_out_channels entry)");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement v : e.getAsJsonArray()) {
            String s = v.isJsonPrimitive() ? v.getAsString() : v.toString();
            if (!allowed.contains(s)) {
                throw bad(key, s, "only " + String.join(", ", allowed.stream().sorted().toList()) + " are implemented");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static int[] filled(int length, int value) {
        int[] a = new int[length];
        Arrays.fill(a, value);
        return a;
    }

    private UserError bad(String key, String value, String allowed) {
        return new UserError("config " + name + ": " + key + "=" + value + " is not supported; " + allowed);
    }
}
