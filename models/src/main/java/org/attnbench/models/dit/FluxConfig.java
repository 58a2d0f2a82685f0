package org.attnbench.models.dit;

import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;

/**
 * A diffusers {@code FluxTransformer2DModel} config.json (Flux.1 dev and schnell), read strictly
 * like the other DiT configs. Bundled: {@code flux-dev} (guidance embedding), {@code flux-schnell}
 * and {@code flux-tiny} (tests).
 *
 * @param axesDimsRope the rotary channels of each position axis (text index, row, column); they fill a head
 */
public record FluxConfig(String name, int heads, int headDim, int inChannels, int outChannels, int layers,
        int singleLayers, int patchSize, int jointAttentionDim, int pooledProjectionDim, boolean guidanceEmbeds,
        List<Integer> axesDimsRope) {
    public static final List<String> BUNDLED = List.of("flux-dev", "flux-schnell", "flux-tiny");
    public static final String CLASS = "FluxTransformer2DModel";

    private static final Set<String> BOOKKEEPING = Set.of("_class_name", "_diffusers_version", "_name_or_path",
            "_use_default_values");

    private static final Set<String> IMPLEMENTED = Set.of("num_attention_heads", "attention_head_dim", "in_channels",
            "out_channels", "num_layers", "num_single_layers", "patch_size", "joint_attention_dim", "pooled_projection_dim",
            "guidance_embeds", "axes_dims_rope");

    public FluxConfig {
        axesDimsRope = List.copyOf(axesDimsRope);
    }

    /** Model width: heads x head dim (3072 for Flux.1). */
    public int dim() {
        return heads * headDim;
    }

    public static boolean isFlux(String nameOrPath) {
        return ConfigJson.isOfClass(nameOrPath, BUNDLED, List.of(CLASS));
    }

    public static FluxConfig load(String nameOrPath) {
        return read(ConfigJson.load(nameOrPath, BUNDLED));
    }

    public static FluxConfig parse(String name, String text) {
        return read(ConfigJson.parse(name, text));
    }

    private static FluxConfig read(ConfigJson r) {
        r.checkKeys(BOOKKEEPING, IMPLEMENTED, Map.of());
        int inChannels = r.integer("in_channels", 64);
        JsonElement guidance = r.get("guidance_embeds");
        if (guidance != null && !(guidance.isJsonPrimitive() && guidance.getAsJsonPrimitive().isBoolean())) {
            throw new UserError("config " + r.name() + ": guidance_embeds must be true or false, got " + guidance);
        }
        FluxConfig c = new FluxConfig(r.name(), r.integer("num_attention_heads", 24), r.integer("attention_head_dim", 128),
                inChannels, r.integer("out_channels", inChannels), r.integer("num_layers", 19),
                r.integer("num_single_layers", 38), r.integer("patch_size", 1), r.integer("joint_attention_dim", 4096),
                r.integer("pooled_projection_dim", 768), guidance != null && guidance.getAsBoolean(), axes(r));
        SizeLimits.checkWidth(r.name(), c.heads(), c.headDim());
        int rope = c.axesDimsRope().stream().mapToInt(Integer::intValue).sum();
        if (rope != c.headDim()) {
            throw new UserError("config " + r.name() + ": axes_dims_rope " + c.axesDimsRope() + " sum to " + rope
                    + ", not the head dim " + c.headDim() + ": the rotary positions must fill each head");
        }
        return c;
    }

    private static List<Integer> axes(ConfigJson r) {
        JsonElement e = r.get("axes_dims_rope");
        if (e == null) return List.of(16, 56, 56);
        List<Integer> out = new ArrayList<>();
        if (e.isJsonArray()) {
            for (JsonElement d : e.getAsJsonArray()) {
                if (!d.isJsonPrimitive() || !d.getAsJsonPrimitive().isNumber() || d.getAsInt() < 1 || d.getAsInt() % 2 != 0) {
                    throw new UserError("config " + r.name() + ": axes_dims_rope has " + d + "; each axis takes an even number of channels");
                }
                out.add(d.getAsInt());
            }
        }
        if (out.size() != 3) {
            throw new UserError("config " + r.name() + ": axes_dims_rope must list 3 axes (text index, row, column), got " + e);
        }
        return out;
    }
}
