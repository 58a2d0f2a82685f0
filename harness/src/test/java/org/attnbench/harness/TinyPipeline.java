package org.attnbench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.vae.VaeConfig;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A seeded Stable Diffusion 1.5-shaped pipeline folder in diffusers' layout, for tests:
 * model_index.json (StableDiffusionPipeline; safety checker and feature extractor absent as
 * [null, null]), unet/ (the bundled tiny UNet, cross-attention width 32, seeded weights), vae/
 * ({@link TinyVae}), text_encoder/ (a CLIPTextModel of width 32: the text tower of the seeded
 * CLIPModel the CLIP score goldens use), tokenizer/ (that model's byte-level BPE: a tiny vocabulary
 * of 634 tokens and 120 merges, which tokenizes any text, most of it letter by letter) and
 * scheduler/ (SD 1.5's PNDM config).
 */
public final class TinyPipeline {
    /** The seeded CLIPModel folder of the CLIP score goldens (workloads' test resources). */
    public static final Path CLIP = Path.of("../workloads/src/test/resources/fidelity/clip").toAbsolutePath();
    static final long UNET_SEED = 5;
    public static final String MODEL_INDEX = """
            {
              "_class_name": "StableDiffusionPipeline",
              "_diffusers_version": "0.40.0",
              "feature_extractor": [null, null],
              "image_encoder": [null, null],
              "requires_safety_checker": false,
              "safety_checker": [null, null],
              "scheduler": ["diffusers", "PNDMScheduler"],
              "text_encoder": ["transformers", "CLIPTextModel"],
              "tokenizer": ["transformers", "CLIPTokenizer"],
              "unet": ["diffusers", "UNet2DConditionModel"],
              "vae": ["diffusers", "AutoencoderKL"]
            }
            """;
    static final String TEXT_ENCODER = """
            {
              "architectures": ["CLIPTextModel"],
              "attention_dropout": 0.0,
              "bos_token_id": 632,
              "eos_token_id": 633,
              "hidden_act": "gelu",
              "hidden_size": 32,
              "initializer_factor": 1.0,
              "initializer_range": 0.02,
              "intermediate_size": 64,
              "layer_norm_eps": 1e-05,
              "max_position_embeddings": 77,
              "model_type": "clip_text_model",
              "num_attention_heads": 4,
              "num_hidden_layers": 2,
              "pad_token_id": 1,
              "projection_dim": 512,
              "torch_dtype": "float32",
              "transformers_version": "4.57.6",
              "vocab_size": 634
            }
            """;
    /** SD 1.5's scheduler/scheduler_config.json. */
    public static final String PNDM = """
            {
              "_class_name": "PNDMScheduler",
              "_diffusers_version": "0.6.0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "num_train_timesteps": 1000,
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "trained_betas": null,
              "clip_sample": false
            }
            """;

    private TinyPipeline() {}

    /** Writes the folder at {@code root} with plain float32 weights. */
    public static Path write(Path root) throws IOException {
        return write(root, false);
    }

    /**
     * Writes the folder; {@code fp16Only} stores the UNet's, the VAE's and the text encoder's weights
     * only as float16 {@code *.fp16.safetensors}, as a user who downloaded only the fp16 variant has them.
     */
    public static Path write(Path root, boolean fp16Only) throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("model_index.json"), MODEL_INDEX);
        Path unet = Files.createDirectories(root.resolve("unet"));
        UNetConfig config = UNetConfig.load("tiny");
        Files.writeString(unet.resolve("config.json"), new String(UNetConfig.class.getResourceAsStream("/unet/tiny.json").readAllBytes()));
        SafetensorsWeights.write(unet.resolve(weightsFile(fp16Only)), config, new RandomWeights(UNET_SEED),
                fp16Only ? DType.FLOAT16 : DType.FLOAT32);
        Path vae = TinyVae.write(Files.createDirectories(root.resolve("vae")));
        if (fp16Only) {
            Path plain = vae.resolve(SafetensorsWeights.FILE);
            Map<String, HostTensor> half = new LinkedHashMap<>();
            Safetensors.read(plain).forEach((name, t) -> half.put(name, t.toDType(DType.FLOAT16)));
            SafetensorsWeights.write(vae.resolve(weightsFile(true)), half);
            Files.delete(plain);
        }
        VaeConfig.read(vae);
        Path text = Files.createDirectories(root.resolve("text_encoder"));
        Files.writeString(text.resolve("config.json"), TEXT_ENCODER);
        Map<String, HostTensor> tower = new LinkedHashMap<>();
        Safetensors.read(CLIP.resolve("model.safetensors")).forEach((name, t) -> {
            if (name.startsWith("text_model.")) tower.put(name, fp16Only ? t.toDType(DType.FLOAT16) : t);
        });
        Safetensors.write(text.resolve(fp16Only ? "model.fp16.safetensors" : "model.safetensors"), tower, Map.of("format", "pt"));
        Path tokenizer = Files.createDirectories(root.resolve("tokenizer"));
        for (String f : List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json")) {
            Files.copy(CLIP.resolve(f), tokenizer.resolve(f));
        }
        Path scheduler = Files.createDirectories(root.resolve("scheduler"));
        Files.writeString(scheduler.resolve("scheduler_config.json"), PNDM);
        return root;
    }

    private static String weightsFile(boolean fp16) {
        return fp16 ? "diffusion_pytorch_model.fp16.safetensors" : SafetensorsWeights.FILE;
    }
}
