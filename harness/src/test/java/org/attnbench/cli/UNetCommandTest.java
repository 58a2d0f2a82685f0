package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.attnbench.harness.TinyVae;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The unet command's input checks: each mistake is one "error:" line and exit 2, before any graph is built. */
class UNetCommandTest {
    @TempDir
    Path dir;

    /** A tiny-model run on ONNX Runtime; {@code extra} options replace the defaults of the same name. */
    private static CliRun unet(String... extra) {
        List<String> args = new ArrayList<>(List.of("unet", "--model", "tiny", "--backend", "onnxruntime"));
        List<String> given = Arrays.asList(extra);
        if (!given.contains("--variant")) args.addAll(List.of("--variant", "dense"));
        if (!given.contains("--resolution") && !given.contains("--height") && !given.contains("--width")) {
            args.addAll(List.of("--resolution", "64"));
        }
        if (!given.contains("--steps")) args.addAll(List.of("--steps", "3"));
        args.addAll(given);
        return CliRun.of(args.toArray(String[]::new));
    }

    /** One error line and no sampling started. */
    private static void refused(CliRun run, String fragment) {
        run.assertOneErrorLine(fragment);
        assertFalse(run.out().contains("step "), run.out());
    }


    @Test
    void tinyModelWithLatentsOut() {
        Path latents = dir.resolve("latents.safetensors");
        CliRun run = unet("--variant", "todo:factor=2", "--save-latents", latents.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        List<String> out = run.outLines();
        assertTrue(out.contains("weights: random weights (seed 0)"), run.out());
        assertTrue(out.contains("embeddings: random seed 1, 77 tokens"), run.out());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("step 3/3  t=1  graph 2  ")), run.out());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("step_s_median: ")), run.out());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("image_s: ")), run.out());
        assertTrue(out.contains("scheduler: ddim, 3 steps, guidance 7.5 (batch 2)"), run.out());
        assertArrayEquals(new long[] {1, 4, 8, 8}, Safetensors.read(latents).get(UNetCommand.LATENTS).shape());
    }

    /** --latents gives the initial noise: the seeded noise written out samples the seeded run's image. */
    @Test
    void givenLatentsAreTheInitialNoise() {
        Path noise = dir.resolve("noise.safetensors");
        Path seeded = dir.resolve("seeded.safetensors");
        Path given = dir.resolve("given.safetensors");
        double[] x = org.attnbench.models.diffusion.Latents.initial(7, 4, 8, 8,
                org.attnbench.models.diffusion.Scheduler.of("ddim", 3));
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        Safetensors.write(noise, Map.of(UNetCommand.LATENTS, HostTensor.of(f, 1, 4, 8, 8)));
        assertEquals(0, unet("--seed", "7", "--save-latents", seeded.toString()).exitCode());
        CliRun run = unet("--seed", "7", "--latents", noise.toString(), "--save-latents", given.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.outLines().contains("latents: " + noise), run.out());
        float[] a = Safetensors.read(seeded).get(UNetCommand.LATENTS).toFloats();
        float[] b = Safetensors.read(given).get(UNetCommand.LATENTS).toFloats();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), "latent " + i);
    }

    @Test
    void badLatentsAreRefusedByName() {
        Path wrong = dir.resolve("wrong.safetensors");
        Safetensors.write(wrong, Map.of(UNetCommand.LATENTS, HostTensor.of(new float[64], 1, 4, 4, 4)));
        refused(unet("--latents", wrong.toString()), "latents 'latents' in " + wrong + " are float32 [1, 4, 4, 4]; this image "
                + "needs float [1, 4, 8, 8]");
        Path other = dir.resolve("other.safetensors");
        Safetensors.write(other, Map.of("noise", HostTensor.of(new float[256], 1, 4, 8, 8)));
        refused(unet("--latents", other.toString()), "has no tensor 'latents' (it has [noise])");
        refused(unet("--latents", dir.resolve("absent.safetensors").toString()), "latents file not found");
    }

    @Test
    void aSchedulerConfigFileSamplesWithItsScheduler() throws IOException {
        // SD 1.5's PNDM: 3 steps are 4 model evaluations (PLMS visits its second timestep twice)
        Path config = dir.resolve("scheduler_config.json");
        Files.writeString(config, """
                {"_class_name": "PNDMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
                 "num_train_timesteps": 1000, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1,
                 "trained_betas": null, "clip_sample": false}
                """);
        CliRun run = unet("--scheduler", config.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.outLines().contains("scheduler: pndm, 4 steps, guidance 7.5 (batch 2)"), run.out());
        Files.writeString(config, "{\"_class_name\": \"DDIMScheduler\", \"prediction_type\": \"v-prediction\"}");
        refused(unet("--scheduler", config.toString()), "prediction_type must be one of epsilon, v_prediction, sample, "
                + "got 'v-prediction' (did you mean 'v_prediction'?)");
    }

    @Test
    void tinyVaeDecodesToAPng() throws IOException {
        Path vae = Files.createDirectory(dir.resolve("vae"));
        TinyVae.write(vae);
        Path png = dir.resolve("image.png");
        CliRun run = unet("--guidance", "1", "--scheduler", "euler", "--vae", vae.toString(), "--save-image", png.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.outLines().contains("scheduler: euler, 3 steps, guidance 1.0 (batch 1)"), run.out());
        assertTrue(run.outLines().stream().anyMatch(l -> l.startsWith("vae_decode_s: ")), run.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(16, img.getWidth()); // the tiny VAE upsamples 2x: 8x8 latents
        assertEquals(16, img.getHeight());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sd3-tiny", "flux-tiny"})
    void flowModelsDecodeTheirSixteenChannelLatentsWithTheVaesShiftFactor(String model) throws IOException {
        Path vae = Files.createDirectory(dir.resolve("vae16"));
        TinyVae.write(vae, TinyVae.SD3_CONFIG);
        Path png = dir.resolve(model + ".png");
        CliRun run = CliRun.of("unet", "--model", model, "--resolution", "128", "--steps", "2", "--scheduler", "euler",
                "--guidance", "1", "--vae", vae.toString(), "--save-image", png.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(32, img.getWidth()); // 16x16 latents, the tiny VAE upsamples 2x
        Path vae4 = TinyVae.write(Files.createDirectory(dir.resolve("vae4")));
        CliRun four = CliRun.of("unet", "--model", model, "--resolution", "128", "--steps", "1", "--scheduler", "euler",
                "--vae", vae4.toString());
        assertEquals(2, four.exitCode());
        assertTrue(four.err().contains("the VAE takes 4 latent channels, " + model + " samples 16"), four.err());
    }

    @Test
    void imageWithoutVae() {
        refused(unet("--save-image", dir.resolve("x.png").toString()), "--save-image needs --vae");
    }

    @Test
    void vaeFolderWithoutConfig() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        refused(unet("--vae", empty.toString()), "has no config.json");
    }

    @Test
    void missingEmbeddingsFile() {
        refused(unet("--embeddings", dir.resolve("none.safetensors").toString()), "embeddings file not found");
    }

    @Test
    void embeddingsOfTheWrongWidth() {
        Path file = dir.resolve("e.safetensors");
        Safetensors.write(file, Map.of("cond", HostTensor.of(new float[77 * 5], 1, 77, 5)));
        refused(unet("--embeddings", file.toString()), "have shape [1, 77, 5], expected width ");
    }

    @Test
    void aUNetTakesPromptStatesOfAnotherLength() {
        Path file = dir.resolve("e12.safetensors");
        int width = org.attnbench.models.unet.UNetConfig.load("tiny").crossAttentionDim();
        Safetensors.write(file, Map.of("prompt_embeds", HostTensor.of(new float[2 * 12 * width], 2, 12, width)));
        CliRun run = unet("--embeddings", file.toString(), "--prompt-index", "1");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.outLines().contains("embeddings: " + file + " (prompt 1), 12 tokens"), run.out());
    }

    @Test
    void promptIndexNeedsAnEmbeddingsFile() {
        refused(unet("--prompt-index", "1"), "--prompt-index picks a prompt of --embeddings; give the file");
    }

    @Test
    void unknownScheduler() {
        refused(unet("--scheduler", "plms"), "unknown scheduler 'plms': use one of ddim, euler, euler-ancestral, pndm, dpm++2m");
    }

    @Test
    void zeroSteps() {
        refused(unet("--steps", "0"), "--steps 0 is out of range: give 1 to 1000");
    }

    @Test
    void nonSquareImagesTakeHeightAndWidth() {
        Path latents = dir.resolve("wide.safetensors");
        CliRun run = unet("--height", "32", "--width", "64", "--variant", "tome:ratio=0.5", "--save-latents", latents.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.outLines().get(0).startsWith("model: tiny, 64x32 px, variant tome"), run.out());
        assertArrayEquals(new long[] {1, 4, 4, 8}, Safetensors.read(latents).get(UNetCommand.LATENTS).shape());
    }

    @Test
    void sizeOptionsThatContradictEachOther() {
        refused(unet("--height", "64"), "--height and --width come together");
        refused(unet("--resolution", "64", "--width", "64"), "give --resolution for a square image or --height and --width, not both");
        refused(unet("--height", "64", "--width", "72"), "image size 72x64 px (width x height) does not fit tiny");
    }

    @Test
    void resolutionTheUNetCannotHalve() {
        refused(unet("--resolution", "72"), "resolution 72 px does not fit tiny: use sides that are positive multiples of 16 px");
    }
}
