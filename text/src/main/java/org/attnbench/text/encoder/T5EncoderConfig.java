package org.attnbench.text.encoder;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.graph.OnnxModel;
import org.attnbench.models.dit.ConfigJson;
import org.attnbench.models.unet.WeightSource;

/**
 * transformers' {@code T5Config} for {@code T5EncoderModel}, T5 v1.1 (the encoder of SD3, Flux
 * and PixArt): gated-gelu feed-forward, RMS norms, relative position buckets. transformers'
 * defaults for absent keys; {@code feed_forward_proj} defaults to {@code relu} (T5 v1.0), which is
 * refused.
 *
 * @param dKv the width of one head; the attention's inner width is {@code heads x dKv}, not {@code dModel}
 */
public record T5EncoderConfig(String name, int vocabSize, int dModel, int dKv, int dFf, int layers, int heads,
        int buckets, int maxDistance, double layerNormEps) implements TextEncoderConfig {
    static final String CLASS = "T5EncoderModel";
    static final String MODEL_TYPE = "t5";
    private static final String GATED_GELU = "gated-gelu";

    private static final Set<String> BOOKKEEPING = TransformersKeys.harmlessAnd("dropout_rate", "classifier_dropout",
            "initializer_factor", "num_decoder_layers", "n_positions", "eos_token_id", "output_past",
            "scale_decoder_outputs");
    private static final Set<String> IMPLEMENTED = Set.of("architectures", "model_type", "vocab_size", "d_model", "d_kv",
            "d_ff", "num_layers", "num_heads", "relative_attention_num_buckets", "relative_attention_max_distance",
            "layer_norm_epsilon", "feed_forward_proj");
    /** What transformers derives from feed_forward_proj "gated-gelu" and saves beside it. */
    private static final Map<String, JsonElement> FIXED = Map.of("dense_act_fn", new JsonPrimitive("gelu_new"),
            "is_gated_act", new JsonPrimitive(true));

    static T5EncoderConfig read(ConfigJson r) {
        r.checkKeys(BOOKKEEPING, IMPLEMENTED, FIXED);
        String ff = TextEncoderConfig.string(r, "feed_forward_proj");
        if (!GATED_GELU.equals(ff)) {
            throw new UserError("config " + r.name() + ": feed_forward_proj '" + (ff == null ? "relu" : ff) + "'"
                    + (ff == null ? " (the default when absent)" : "") + " is not supported; only '" + GATED_GELU
                    + "' (T5 v1.1) is implemented");
        }
        T5EncoderConfig c = new T5EncoderConfig(r.name(), r.integer("vocab_size", 32128), r.integer("d_model", 512),
                r.integer("d_kv", 64), r.integer("d_ff", 2048), r.integer("num_layers", 6), r.integer("num_heads", 8),
                r.integer("relative_attention_num_buckets", 32), r.integer("relative_attention_max_distance", 128),
                r.number("layer_norm_epsilon", 1e-6));
        if (c.buckets < 4 || c.buckets % 2 != 0) {
            throw new UserError("config " + r.name() + ": relative_attention_num_buckets must be even and at least 4, got "
                    + c.buckets);
        }
        if (c.maxDistance <= c.buckets / 4) {
            throw new UserError("config " + r.name() + ": relative_attention_max_distance " + c.maxDistance
                    + " must exceed a quarter of relative_attention_num_buckets (" + c.buckets / 4 + ")");
        }
        return c;
    }

    /** The attention's inner width, heads x d_kv. */
    public int inner() {
        return heads * dKv;
    }

    @Override
    public String modelClass() {
        return CLASS;
    }

    @Override
    public List<String> outputs() {
        return List.of(LAST_HIDDEN_STATE);
    }

    @Override
    public int maxLength() {
        return Integer.MAX_VALUE;
    }

    @Override
    public OnnxModel graph(WeightSource weights, int batch, int length) {
        return T5EncoderGraph.build(this, weights, batch, length);
    }
}
