package org.attnbench.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.attnbench.backend.Backends;
import org.attnbench.backend.Device;
import org.attnbench.cli.Main;
import org.attnbench.harness.TinyVae;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline folders of other classes, built on the golden text folders' encoders and tokenizers with a
 * tiny denoiser of their widths, a tiny VAE and the class's scheduler config:
 * <ul>
 * <li>SDXL: the UNet gets the second encoder's pooled embedding and the size ids (original size, crop
 * (0, 0), target size), the negative ones zeros when no negative prompt is given
 * (force_zeros_for_empty_prompt);</li>
 * <li>PixArt-Σ: T5's states and their caption mask, the folder's DPM-Solver++;</li>
 * </ul>
 * and for each, {@code unet --pipeline --prompt} samples what the route through encode-prompts' file samples.
 */
class PipelineKindsTest {
    @TempDir
    Path dir;

    private static Path golden(String name) {
        Path golden = GoldenCase.folder().resolve("text").resolve(name);
        if (!Files.isDirectory(golden)) {
            String message = "text golden folders not found at " + golden + " (shared/golden/text beside the checkout)";
            if (System.getenv(GoldenCase.CI) != null) fail(message);
            Assumptions.abort(message);
        }
        return golden;
    }

    private Path sdxl() throws IOException {
        Path golden = golden("sdxl");
        Path root = Files.createDirectories(dir.resolve("sdxl-tiny"));
        Files.copy(golden.resolve("model_index.json"), root.resolve("model_index.json"));
        for (String part : List.of("text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2")) {
            Files.createSymbolicLink(root.resolve(part), golden.resolve(part).toAbsolutePath());
        }
        Path unet = Files.createDirectories(root.resolve("unet"));
        String tiny = new String(UNetConfig.class.getResourceAsStream("/unet/tiny.json").readAllBytes());
        // widths of the golden encoders: 8 + 16 states, a 12-wide pooled embedding, 6 size ids of 8 each
        Files.writeString(unet.resolve("config.json"), tiny.replace("\"cross_attention_dim\": 32", "\"cross_attention_dim\": 24")
                .replace("\"act_fn\": \"silu\",", "\"act_fn\": \"silu\", \"addition_embed_type\": \"text_time\", "
                        + "\"addition_time_embed_dim\": 8, \"projection_class_embeddings_input_dim\": 60,"));
        SafetensorsWeights.write(unet.resolve(SafetensorsWeights.FILE), UNetConfig.load(unet.resolve("config.json").toString()),
                new RandomWeights(3), DType.FLOAT32);
        TinyVae.write(Files.createDirectories(root.resolve("vae")));
        Files.writeString(Files.createDirectories(root.resolve("scheduler")).resolve("scheduler_config.json"), """
                {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.19.0.dev0", "beta_end": 0.012,
                 "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false, "interpolation_type": "linear",
                 "num_train_timesteps": 1000, "prediction_type": "epsilon", "sample_max_value": 1.0, "set_alpha_to_one": false,
                 "skip_prk_steps": true, "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": null,
                 "use_karras_sigmas": false}
                """);
        return root;
    }

    @Test
    void sdxlsUNetTakesThePooledEmbeddingAndTheSizeIdsFromThePipeline() throws IOException {
        Path root = sdxl();
        try {
            PipelineModel model = PipelineModel.open(root, null, true);
            Denoiser unet = model.denoiser(BlockRange.ALL);
            PromptEncoder encoder = PromptEncoder.of(model.folder(), TextEncoders.of(model.folder(),
                    Backends.byName("onnxruntime"), Device.CPU), null, w -> {});
            Map<String, HostTensor> encoded = encoder.encode(List.of("a red fox in the snow"), null);
            ImageSize size = new ImageSize(64, 96); // height, width
            Map<String, HostTensor> inputs = unet.fit(Conditioning.encoded(encoded, 0, "test"), size, 0).inputs(2);
            float[] pooled = encoded.get("pooled_prompt_embeds").toFloats();
            float[] both = inputs.get(DenoiserIO.TEXT_EMBEDS).toFloats();
            assertArrayEquals(new float[pooled.length], Arrays.copyOf(both, pooled.length), "no negative prompt: zeros");
            assertArrayEquals(pooled, Arrays.copyOfRange(both, pooled.length, both.length), "the second encoder's text_embeds");
            assertArrayEquals(new float[] {64, 96, 0, 0, 64, 96, 64, 96, 0, 0, 64, 96}, inputs.get(DenoiserIO.TIME_IDS).toFloats(),
                    "original size (height, width), crop (0, 0), target size, for both halves of the batch");

            sameLatentsBothRoutes(root, List.of());
        } finally {
            removeLinks(root);
        }
    }

    @Test
    void pixArtTakesT5sStatesAndTheirMaskFromThePipeline() throws IOException {
        Path golden = golden("pixart-sigma");
        Path root = Files.createDirectories(dir.resolve("pixart-tiny"));
        Files.copy(golden.resolve("model_index.json"), root.resolve("model_index.json"));
        for (String part : List.of("text_encoder", "tokenizer")) {
            Files.createSymbolicLink(root.resolve(part), golden.resolve(part).toAbsolutePath());
        }
        Path transformer = Files.createDirectories(root.resolve("transformer"));
        String tiny = new String(UNetConfig.class.getResourceAsStream("/dit/pixart-tiny.json").readAllBytes());
        Files.writeString(transformer.resolve("config.json"), tiny.replace("\"caption_channels\": 24", "\"caption_channels\": 20"));
        Map<String, HostTensor> tensors = new java.util.LinkedHashMap<>();
        RandomWeights random = new RandomWeights(4);
        Denoiser.load(transformer.resolve("config.json").toString()).expectedWeights()
                .forEach((name, shape) -> tensors.put(name, random.create(name, shape)));
        SafetensorsWeights.write(transformer.resolve(SafetensorsWeights.FILE), tensors);
        TinyVae.write(Files.createDirectories(root.resolve("vae")));
        Files.copy(Path.of("../models/src/test/resources/schedulers/configs/pixart-sigma.json"),
                Files.createDirectories(root.resolve("scheduler")).resolve("scheduler_config.json"));
        try {
            Path e = sameLatentsBothRoutes(root, List.of("--negative-prompt", "ugly"));
            Map<String, HostTensor> encoded = Safetensors.read(e);
            long[] mask = encoded.get("prompt_attention_mask").toLongs();
            long kept = java.util.Arrays.stream(mask).sum();
            assertTrue(kept > 1 && kept < mask.length, "the caption mask covers the prompt's tokens only: " + kept);
            assertTrue(encoded.containsKey("negative_prompt_attention_mask"));
        } finally {
            removeLinks(root);
        }
    }

    /**
     * {@code unet --pipeline --prompt} and the route through files (encode-prompts, the denoiser's
     * weights, the scheduler config) sample the same latents; returns the encoded prompt's file.
     */
    private Path sameLatentsBothRoutes(Path root, List<String> negative) {
        String name = root.getFileName().toString();
        Path a = dir.resolve(name + "-pipeline.safetensors");
        Path e = dir.resolve(name + "-prompt.safetensors");
        Path b = dir.resolve(name + "-files.safetensors");
        String denoiser = Files.isDirectory(root.resolve("unet")) ? "unet" : "transformer";
        List<String> pipeline = new java.util.ArrayList<>(List.of("unet", "--pipeline", root.toString(), "--prompt",
                "a red fox in the snow", "--steps", "3", "--resolution", "64", "--save-latents", a.toString()));
        pipeline.addAll(negative);
        assertEquals(0, Main.execute(pipeline.toArray(String[]::new)));
        List<String> encode = new java.util.ArrayList<>(List.of("encode-prompts", "--pipeline", root.toString(), "--prompt",
                "a red fox in the snow", "-o", e.toString()));
        encode.addAll(negative);
        assertEquals(0, Main.execute(encode.toArray(String[]::new)));
        assertEquals(0, Main.execute("unet", "--model", root.resolve(denoiser + "/config.json").toString(), "--weights",
                root.resolve(denoiser).toString(), "--embeddings", e.toString(), "--scheduler",
                root.resolve("scheduler/scheduler_config.json").toString(), "--steps", "3", "--resolution", "64",
                "--save-latents", b.toString()));
        assertArrayEquals(Safetensors.read(b).get("latents").toFloats(), Safetensors.read(a).get("latents").toFloats());
        return e;
    }

    private static void removeLinks(Path root) throws IOException {
        try (var links = Files.list(root)) {
            for (Path link : links.filter(Files::isSymbolicLink).toList()) Files.delete(link);
        }
    }
}
