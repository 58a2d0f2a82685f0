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
import org.attnbench.models.diffusion.Conditioning;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.dit.BlockRange;
import org.attnbench.models.pipeline.PipelineModel;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.RandomWeights;
import org.attnbench.models.unet.SafetensorsWeights;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.text.PromptEncoder;
import org.attnbench.workloads.text.TextEncoders;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SDXL pipeline folder (the golden text folder's two CLIP encoders and tokenizers, a tiny UNet with
 * SDXL's text_time conditioning of their widths, a tiny VAE, SDXL's Euler scheduler): the UNet gets
 * the second encoder's pooled embedding and the size ids (original size, crop (0, 0), target size), the
 * negative ones zeros when no negative prompt is given (force_zeros_for_empty_prompt), and
 * {@code unet --pipeline --prompt} samples what the route through encode-prompts' file samples.
 */
class SdxlPipelineTest {
    @TempDir
    Path dir;

    private Path pipeline() throws IOException {
        Path golden = GoldenCase.folder().resolve("text/sdxl");
        if (!Files.isDirectory(golden)) {
            String message = "text golden folders not found at " + golden + " (shared/golden/text beside the checkout)";
            if (System.getenv(GoldenCase.CI) != null) fail(message);
            Assumptions.abort(message);
        }
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
    void theUNetTakesThePooledEmbeddingAndTheSizeIdsFromThePipeline() throws IOException {
        Path root = pipeline();
        try {
            PipelineModel model = PipelineModel.open(root, null, true);
            Denoiser unet = model.denoiser(BlockRange.ALL);
            PromptEncoder encoder = PromptEncoder.of(model.folder(), TextEncoders.of(model.folder(),
                    Backends.byName("onnxruntime"), Device.CPU), null, w -> {});
            Map<String, HostTensor> encoded = encoder.encode(List.of("a red fox in the snow"), null);
            ImageSize size = new ImageSize(64, 96); // height, width
            Map<String, HostTensor> inputs = unet.fit(Conditioning.encoded(encoded, 0, "test"), size, 0).inputs(2);
            float[] pooled = encoded.get("pooled_prompt_embeds").toFloats();
            float[] both = inputs.get(UNetGraph.TEXT_EMBEDS).toFloats();
            assertArrayEquals(new float[pooled.length], Arrays.copyOf(both, pooled.length), "no negative prompt: zeros");
            assertArrayEquals(pooled, Arrays.copyOfRange(both, pooled.length, both.length), "the second encoder's text_embeds");
            assertArrayEquals(new float[] {64, 96, 0, 0, 64, 96, 64, 96, 0, 0, 64, 96}, inputs.get(UNetGraph.TIME_IDS).toFloats(),
                    "original size (height, width), crop (0, 0), target size, for both halves of the batch");

            Path a = dir.resolve("a.safetensors");
            Path e = dir.resolve("e.safetensors");
            Path b = dir.resolve("b.safetensors");
            assertEquals(0, Main.execute("unet", "--pipeline", root.toString(), "--prompt", "a red fox in the snow", "--steps", "3",
                    "--resolution", "64", "--save-latents", a.toString()));
            assertEquals(0, Main.execute("encode-prompts", "--pipeline", root.toString(), "--prompt", "a red fox in the snow",
                    "-o", e.toString()));
            assertEquals(0, Main.execute("unet", "--model", root.resolve("unet/config.json").toString(), "--weights",
                    root.resolve("unet").toString(), "--embeddings", e.toString(), "--scheduler",
                    root.resolve("scheduler/scheduler_config.json").toString(), "--steps", "3", "--resolution", "64",
                    "--save-latents", b.toString()));
            assertArrayEquals(Safetensors.read(b).get("latents").toFloats(), Safetensors.read(a).get("latents").toFloats());
            assertTrue(Safetensors.read(e).containsKey("pooled_prompt_embeds"));
        } finally {
            try (var links = Files.list(root)) {
                for (Path link : links.filter(Files::isSymbolicLink).toList()) Files.delete(link);
            }
        }
    }
}
