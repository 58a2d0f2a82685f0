package org.attnbench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.encoder.TextEncoderConfig;

/**
 * SD3- and Flux-shaped pipeline folders, small but wide, to measure memory: their text encoders at
 * real widths (CLIP-L 768, CLIP-G 1280, T5-XXL 4096 with its 64 heads, 10240-wide feed-forward and
 * 32128-token embedding) but two CLIP layers and one T5 layer, their transformers at a quarter of the
 * real width and two blocks, so encoding holds about 1.3 GB of float32 T5 weights and denoising about
 * 0.5-0.7 GB: a run that held both at once would show their sum. Weights are seeded
 * ({@link RandomWeights}) and stored as float16, as fp16 checkpoints are; the tokenizers are the
 * golden text folders' (real CLIP vocabulary, a small SentencePiece model), linked, not copied.
 */
public final class WidePipelines {
    private static final long SEED = 11;

    private WidePipelines() {}

    /** StableDiffusion3Pipeline: CLIP-L and CLIP-G with projection, T5, an SD3Transformer2DModel. */
    public static Path sd3(Path root, Path goldenText) throws IOException {
        Files.createDirectories(root);
        Files.copy(goldenText.resolve("sd3/model_index.json"), root.resolve("model_index.json"));
        for (String t : new String[] {"tokenizer", "tokenizer_2", "tokenizer_3"}) {
            Files.createSymbolicLink(root.resolve(t), goldenText.resolve("sd3").resolve(t).toAbsolutePath());
        }
        encoder(root.resolve("text_encoder"), clip(true, 768, 12, 3072));
        encoder(root.resolve("text_encoder_2"), clip(true, 1280, 20, 5120));
        encoder(root.resolve("text_encoder_3"), T5);
        transformer(root.resolve("transformer"), """
                {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 64, "caption_projection_dim": 1536,
                 "in_channels": 16, "joint_attention_dim": 4096, "num_attention_heads": 24, "num_layers": 2,
                 "out_channels": 16, "patch_size": 2, "pooled_projection_dim": 2048, "pos_embed_max_size": 32,
                 "sample_size": 32}
                """);
        TinyVae.write(Files.createDirectories(root.resolve("vae")), TinyVae.SD3_CONFIG);
        scheduler(root, """
                {"_class_name": "FlowMatchEulerDiscreteScheduler", "_diffusers_version": "0.29.0.dev0",
                 "num_train_timesteps": 1000, "shift": 3.0}
                """);
        return root;
    }

    /** FluxPipeline: CLIP-L, T5, a FluxTransformer2DModel (one double- and one single-stream block). */
    public static Path flux(Path root, Path goldenText) throws IOException {
        Files.createDirectories(root);
        Files.copy(goldenText.resolve("flux/model_index.json"), root.resolve("model_index.json"));
        for (String t : new String[] {"tokenizer", "tokenizer_2"}) {
            Files.createSymbolicLink(root.resolve(t), goldenText.resolve("flux").resolve(t).toAbsolutePath());
        }
        encoder(root.resolve("text_encoder"), clip(false, 768, 12, 3072));
        encoder(root.resolve("text_encoder_2"), T5);
        transformer(root.resolve("transformer"), """
                {"_class_name": "FluxTransformer2DModel", "attention_head_dim": 128, "axes_dims_rope": [16, 56, 56],
                 "guidance_embeds": true, "in_channels": 64, "joint_attention_dim": 4096, "num_attention_heads": 12,
                 "num_layers": 1, "num_single_layers": 1, "patch_size": 1, "pooled_projection_dim": 768}
                """);
        TinyVae.write(Files.createDirectories(root.resolve("vae")), TinyVae.SD3_CONFIG);
        scheduler(root, """
                {"_class_name": "FlowMatchEulerDiscreteScheduler", "_diffusers_version": "0.30.0.dev0",
                 "base_image_seq_len": 256, "base_shift": 0.5, "max_image_seq_len": 4096, "max_shift": 1.15,
                 "num_train_timesteps": 1000, "shift": 3.0, "use_dynamic_shifting": true}
                """);
        return root;
    }

    /** T5-XXL's widths, one layer. */
    private static final String T5 = """
            {"architectures": ["T5EncoderModel"], "d_ff": 10240, "d_kv": 64, "d_model": 4096, "dense_act_fn": "gelu_new",
             "eos_token_id": 1, "feed_forward_proj": "gated-gelu", "is_gated_act": true, "layer_norm_epsilon": 1e-06,
             "model_type": "t5", "num_heads": 64, "num_layers": 1, "pad_token_id": 0, "relative_attention_max_distance": 128,
             "relative_attention_num_buckets": 32, "tie_word_embeddings": false, "vocab_size": 32128}
            """;

    private static String clip(boolean projection, int width, int heads, int inner) {
        return """
                {"architectures": ["%s"], "bos_token_id": 49406, "eos_token_id": 49407, "hidden_act": "gelu",
                 "hidden_size": %d, "intermediate_size": %d, "layer_norm_eps": 1e-05, "max_position_embeddings": 77,
                 "model_type": "clip_text_model", "num_attention_heads": %d, "num_hidden_layers": 2, "pad_token_id": 1,
                 "projection_dim": %d, "vocab_size": 49408}
                """.formatted(projection ? "CLIPTextModelWithProjection" : "CLIPTextModel", width, inner, heads, width);
    }

    private static void encoder(Path dir, String config) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        RandomWeights random = new RandomWeights(SEED);
        TextEncoderConfig.read(dir.resolve("config.json")).expectedWeights()
                .forEach((name, shape) -> tensors.put(name, random.create(name, shape).toDType(DType.FLOAT16)));
        Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
    }

    private static void transformer(Path dir, String config) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        RandomWeights random = new RandomWeights(SEED);
        Denoiser.load(dir.resolve("config.json").toString()).expectedWeights()
                .forEach((name, shape) -> tensors.put(name, random.create(name, shape).toDType(DType.FLOAT16)));
        Safetensors.write(dir.resolve("diffusion_pytorch_model.safetensors"), tensors, Map.of("format", "pt"));
    }

    private static void scheduler(Path root, String config) throws IOException {
        Files.writeString(Files.createDirectories(root.resolve("scheduler")).resolve("scheduler_config.json"), config);
    }
}
