package org.attnbench.models.dit;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.attnbench.core.UserError;
import org.attnbench.models.SizeLimits;

/**
 * A diffusers {@code SD3Transformer2DModel} config.json (Stable Diffusion 3 and 3.5, the MMDiT),
 * read strictly like the other configs. Bundled: {@code sd3-medium}, {@code sd3.5-medium} (dual
 * attention in its first 13 blocks, q/k RMSNorm), {@code sd3.5-large} and {@code sd3-tiny} (tests).
 *
 * @param dualAttentionLayers blocks with a second, image-only attention (SD 3.5 medium)
 * @param qkNorm whether queries and keys are RMS-normalized per head ({@code qk_norm: rms_norm}, SD 3.5)
 */
public record SD3Config(String name, int heads, int headDim, int inChannels, int outChannels, int layers, int patchSize,
        int sampleSize, int jointAttentionDim, int captionProjectionDim, int pooledProjectionDim, int posEmbedMaxSize,
        Set<Integer> dualAttentionLayers, boolean qkNorm) {
    public static final List<String> BUNDLED = List.of("sd3-medium", "sd3.5-medium", "sd3.5-large", "sd3-tiny");
    public static final String CLASS = "SD3Transformer2DModel";

    private static final Set<String> BOOKKEEPING = Set.of("_class_name", "_diffusers_version", "_name_or_path",
            "_use_default_values");

    private static final Set<String> IMPLEMENTED = Set.of("num_attention_heads", "attention_head_dim", "in_channels",
            "out_channels", "num_layers", "patch_size", "sample_size", "joint_attention_dim", "caption_projection_dim",
            "pooled_projection_dim", "pos_embed_max_size", "dual_attention_layers", "qk_norm");

    public SD3Config {
        dualAttentionLayers = Set.copyOf(dualAttentionLayers);
    }

    /** Model width: heads x head dim (1536 for SD3 medium). */
    public int dim() {
        return heads * headDim;
    }

    public static boolean isSD3(String nameOrPath) {
        return ConfigJson.isOfClass(nameOrPath, BUNDLED, List.of(CLASS));
    }

    public static SD3Config load(String nameOrPath) {
        return read(ConfigJson.load(nameOrPath, BUNDLED));
    }

    public static SD3Config parse(String name, String text) {
        return read(ConfigJson.parse(name, text));
    }

    private static SD3Config read(ConfigJson r) {
        r.checkKeys(BOOKKEEPING, IMPLEMENTED, Map.of());
        JsonElement norm = r.get("qk_norm");
        if (norm != null && !norm.equals(new JsonPrimitive("rms_norm"))) {
            throw new UserError("config " + r.name() + ": qk_norm=" + norm + " is not supported; only \"rms_norm\" "
                    + "(SD 3.5) or none (SD 3) is implemented");
        }
        int inChannels = r.integer("in_channels", 16);
        int layers = r.integer("num_layers", 18);
        SD3Config c = new SD3Config(r.name(), r.integer("num_attention_heads", 18), r.integer("attention_head_dim", 64),
                inChannels, r.integer("out_channels", inChannels), layers, r.integer("patch_size", 2),
                r.integer("sample_size", 128), r.integer("joint_attention_dim", 4096), r.integer("caption_projection_dim", 1152),
                r.integer("pooled_projection_dim", 2048), r.integer("pos_embed_max_size", 96), dualLayers(r, layers),
                norm != null);
        SizeLimits.checkWidth(r.name(), c.heads(), c.headDim());
        if (c.captionProjectionDim() != c.dim()) {
            throw new UserError("config " + r.name() + ": caption_projection_dim " + c.captionProjectionDim()
                    + " differs from the width " + c.dim() + " (heads x head dim); the joint blocks need them equal");
        }
        return c;
    }

    private static Set<Integer> dualLayers(ConfigJson r, int layers) {
        JsonElement e = r.get("dual_attention_layers");
        Set<Integer> out = new TreeSet<>();
        if (e == null) return out;
        if (!e.isJsonArray()) throw new UserError("config " + r.name() + ": dual_attention_layers must be a list of block indices");
        for (JsonElement i : e.getAsJsonArray()) {
            if (!i.isJsonPrimitive() || !i.getAsJsonPrimitive().isNumber() || i.getAsInt() < 0 || i.getAsInt() >= layers
                    || i.getAsDouble() != i.getAsInt()) {
                throw new UserError("config " + r.name() + ": dual_attention_layers has " + i + "; blocks are 0.." + (layers - 1));
            }
            out.add(i.getAsInt());
        }
        return out;
    }
}
