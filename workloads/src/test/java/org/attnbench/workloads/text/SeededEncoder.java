package org.attnbench.workloads.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.TextEncoderConfig;

/**
 * Small text encoders written as transformers saves them (config.json plus model.safetensors, or
 * shards with model.safetensors.index.json), every weight drawn from a seed: norms' scales near 1,
 * everything else N(0, 0.3^2), so each term moves the output.
 */
final class SeededEncoder {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private SeededEncoder() {}

    /** A CLIP text config as transformers writes it (SD's keys). */
    static Map<String, Object> clip(boolean projection, String act, int hidden, int heads, int layers, int inter,
                                    int vocab, int positions, int eos) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_name_or_path", "seeded");
        c.put("architectures", List.of(projection ? "CLIPTextModelWithProjection" : "CLIPTextModel"));
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", 0);
        c.put("dropout", 0.0);
        c.put("eos_token_id", eos);
        c.put("hidden_act", act);
        c.put("hidden_size", hidden);
        c.put("initializer_factor", 1.0);
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", inter);
        c.put("layer_norm_eps", 1e-5);
        c.put("max_position_embeddings", positions);
        c.put("model_type", "clip_text_model");
        c.put("num_attention_heads", heads);
        c.put("num_hidden_layers", layers);
        c.put("pad_token_id", 1);
        c.put("projection_dim", 6);
        c.put("torch_dtype", "float32");
        c.put("transformers_version", "4.41.2");
        c.put("vocab_size", vocab);
        return c;
    }

    /** A T5 v1.1 encoder config as transformers writes it (google/t5-v1_1-xxl's keys). */
    static Map<String, Object> t5(int dModel, int dKv, int heads, int dFf, int layers, int vocab, int buckets,
                                  int maxDistance) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("_name_or_path", "seeded");
        c.put("architectures", List.of("T5EncoderModel"));
        c.put("classifier_dropout", 0.0);
        c.put("d_ff", dFf);
        c.put("d_kv", dKv);
        c.put("d_model", dModel);
        c.put("decoder_start_token_id", 0);
        c.put("dense_act_fn", "gelu_new");
        c.put("dropout_rate", 0.1);
        c.put("eos_token_id", 1);
        c.put("feed_forward_proj", "gated-gelu");
        c.put("initializer_factor", 1.0);
        c.put("is_encoder_decoder", true);
        c.put("is_gated_act", true);
        c.put("layer_norm_epsilon", 1e-6);
        c.put("model_type", "t5");
        c.put("num_decoder_layers", layers);
        c.put("num_heads", heads);
        c.put("num_layers", layers);
        c.put("output_past", true);
        c.put("pad_token_id", 0);
        c.put("relative_attention_max_distance", maxDistance);
        c.put("relative_attention_num_buckets", buckets);
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", "float32");
        c.put("transformers_version", "4.41.2");
        c.put("use_cache", true);
        c.put("vocab_size", vocab);
        return c;
    }

    /**
     * Writes {@code config} and its drawn weights in {@code dtype} to {@code dir}, in {@code shards}
     * files; {@code rename} maps a weight's name to the one stored (T5's embedding under
     * encoder.embed_tokens.weight). CLIP files get the int64 position_ids buffer older checkpoints carry.
     */
    static Path write(Path dir, Map<String, Object> config, DType dtype, int shards, long seed, Map<String, String> rename) {
        try {
            Files.createDirectories(dir);
            String json = GSON.toJson(config);
            Files.writeString(dir.resolve("config.json"), json);
            TextEncoderConfig parsed = TextEncoderConfig.parse("seeded", json);
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            SplittableRandom rng = new SplittableRandom(seed);
            parsed.expectedWeights().forEach((name, shape) -> tensors.put(rename.getOrDefault(name, name),
                    drawn(rng, name, shape).toDType(dtype)));
            if (parsed.modelClass().startsWith("CLIP")) {
                long n = ((Number) config.get("max_position_embeddings")).longValue();
                long[] ids = new long[(int) n];
                for (int i = 0; i < n; i++) ids[i] = i;
                tensors.put("text_model.embeddings.position_ids", HostTensor.of(ids, 1, n));
            }
            if (shards == 1) {
                Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            } else {
                writeShards(dir, tensors, shards);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeShards(Path dir, Map<String, HostTensor> tensors, int shards) throws IOException {
        List<String> names = new ArrayList<>(tensors.keySet());
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            Map<String, HostTensor> part = new LinkedHashMap<>();
            for (int i = s; i < names.size(); i += shards) {
                part.put(names.get(i), tensors.get(names.get(i)));
                weightMap.put(names.get(i), file);
            }
            Safetensors.write(dir.resolve(file), part, Map.of("format", "pt"));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                GSON.toJson(Map.of("metadata", Map.of("total_size", 0), "weight_map", weightMap)));
    }

    private static HostTensor drawn(SplittableRandom rng, String name, long[] shape) {
        boolean scale = name.contains("norm") && name.endsWith(".weight");
        float[] v = new float[(int) HostTensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            v[i] = (float) (scale ? 1 + 0.2 * g : 0.3 * g);
        }
        return HostTensor.of(v, shape);
    }
}
