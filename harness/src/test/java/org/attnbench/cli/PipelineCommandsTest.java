package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.harness.TinyPipeline;
import org.attnbench.safetensors.Safetensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code unet} and {@code export-onnx} on a diffusers pipeline folder: the denoiser, VAE and
 * scheduler from the folder, a prompt through its own text encoders, the same latents as the route
 * through files (encode-prompts' states, the unet/ weights, the scheduler config), fp16-only folders,
 * and every missing or unsupported part refused by name before anything runs.
 */
class PipelineCommandsTest {
    static final String PROMPT = "a red fox in the snow";

    @TempDir
    static Path dir;
    static Path pipeline;

    @BeforeAll
    static void writePipeline() throws IOException {
        pipeline = TinyPipeline.write(dir.resolve("sd15-tiny"));
    }

    private static List<String> unet(String backend, String... more) {
        List<String> args = new ArrayList<>(List.of("unet", "--resolution", "64", "--steps", "3", "--seed", "7",
                "--backend", backend));
        args.addAll(List.of(more));
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"onnxruntime", "djl"})
    void aPipelineAndTheRouteThroughFilesSampleTheSameLatents(String backend) {
        Path viaPipeline = dir.resolve("pipeline-" + backend + ".safetensors");
        Path image = dir.resolve("pipeline-" + backend + ".png");
        CliRun p = CliRun.of(unet(backend, "--pipeline", pipeline.toString(), "--prompt", PROMPT, "--negative-prompt", "blurry",
                "--save-latents", viaPipeline.toString(), "--save-image", image.toString()).toArray(String[]::new));
        assertEquals(0, p.exitCode(), p.out() + p.err());
        assertTrue(p.out().contains("scheduler: pndm"), "the folder's scheduler_config.json: PNDM\n" + p.out());
        assertTrue(p.out().contains("encode_s: "), p.out());
        assertTrue(Files.exists(image), "decoded with the folder's vae/");

        Path embeddings = dir.resolve("prompt-" + backend + ".safetensors");
        CliRun e = CliRun.of("encode-prompts", "--pipeline", pipeline.toString(), "--prompt", PROMPT, "--negative-prompt", "blurry",
                "--backend", backend, "-o", embeddings.toString());
        assertEquals(0, e.exitCode(), e.out() + e.err());
        Path viaFiles = dir.resolve("files-" + backend + ".safetensors");
        CliRun f = CliRun.of(unet(backend, "--model", pipeline.resolve("unet/config.json").toString(),
                "--weights", pipeline.resolve("unet").toString(), "--embeddings", embeddings.toString(),
                "--scheduler", pipeline.resolve("scheduler/scheduler_config.json").toString(),
                "--save-latents", viaFiles.toString()).toArray(String[]::new));
        assertEquals(0, f.exitCode(), f.out() + f.err());
        float[] a = Safetensors.read(viaPipeline).get("latents").toFloats();
        float[] b = Safetensors.read(viaFiles).get("latents").toFloats();
        assertArrayEquals(b, a, "the same latents, bit for bit");

        Path seeded = dir.resolve("seeded-" + backend + ".safetensors");
        CliRun s = CliRun.of(unet(backend, "--pipeline", pipeline.toString(), "--save-latents", seeded.toString())
                .toArray(String[]::new));
        assertEquals(0, s.exitCode(), s.out() + s.err());
        assertFalse(java.util.Arrays.equals(a, Safetensors.read(seeded).get("latents").toFloats()), "the prompt conditions the image");
    }

    @Test
    void anFp16OnlyFolderLoadsWithOrWithoutItsVariantNamed() throws IOException {
        Path half = TinyPipeline.write(dir.resolve("sd15-tiny-fp16"), true);
        for (List<String> variant : List.of(List.<String>of(), List.of("--weights-variant", "fp16"))) {
            List<String> args = unet("onnxruntime", "--pipeline", half.toString(), "--prompt", PROMPT,
                    "--save-image", dir.resolve("half.png").toString());
            args.addAll(variant);
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("fp16.safetensors"), r.out());
        }
        CliRun plain = CliRun.of(unet("onnxruntime", "--pipeline", pipeline.toString(), "--weights-variant", "fp16")
                .toArray(String[]::new));
        plain.assertOneErrorLine("has no fp16 weights");
        CliRun export = CliRun.of("export-onnx", "--pipeline", half.toString(), "--resolution", "64",
                "-o", dir.resolve("tiny.onnx").toString());
        assertEquals(0, export.exitCode(), export.out() + export.err());
        assertTrue(export.out().contains("fp16.safetensors"), export.out());
    }

    @Test
    void everyMissingOrUnsupportedPartIsRefusedByNameBeforeAnythingRuns() throws IOException {
        Path noVae = copy("no-vae");
        deleteTree(noVae.resolve("vae"));
        CliRun vae = CliRun.of(unet("onnxruntime", "--pipeline", noVae.toString(), "--save-image", dir.resolve("x.png").toString())
                .toArray(String[]::new));
        vae.assertOneErrorLine("lacks its component folder vae/");

        Path noScheduler = copy("no-scheduler");
        Files.writeString(noScheduler.resolve("model_index.json"), without("scheduler"));
        CliRun scheduler = CliRun.of(unet("onnxruntime", "--pipeline", noScheduler.toString()).toArray(String[]::new));
        scheduler.assertOneErrorLine("lists no component 'scheduler'");

        Path xl = copy("wrong-class");
        Files.writeString(xl.resolve("model_index.json"), TinyPipeline.MODEL_INDEX.replace("StableDiffusionPipeline",
                "StableDiffusionUpscalePipeline"));
        CliRun unsupported = CliRun.of(unet("onnxruntime", "--pipeline", xl.toString()).toArray(String[]::new));
        unsupported.assertOneErrorLine("pipeline class 'StableDiffusionUpscalePipeline' is not supported");

        Path lcm = copy("lcm");
        Files.writeString(lcm.resolve("model_index.json"), TinyPipeline.MODEL_INDEX.replace("PNDMScheduler", "LCMScheduler"));
        CliRun lcmRun = CliRun.of(unet("onnxruntime", "--pipeline", lcm.toString()).toArray(String[]::new));
        lcmRun.assertOneErrorLine("component scheduler");

        Path noText = copy("no-text");
        deleteTree(noText.resolve("text_encoder"));
        CliRun text = CliRun.of(unet("onnxruntime", "--pipeline", noText.toString(), "--prompt", PROMPT).toArray(String[]::new));
        text.assertOneErrorLine("text_encoder");

        CliRun both = CliRun.of(unet("onnxruntime", "--pipeline", pipeline.toString(), "--weights", pipeline.resolve("unet").toString())
                .toArray(String[]::new));
        both.assertOneErrorLine("leave out --weights");
        CliRun promptAlone = CliRun.of(unet("onnxruntime", "--model", "tiny", "--prompt", PROMPT).toArray(String[]::new));
        promptAlone.assertOneErrorLine("--prompt is encoded by a pipeline's text encoders");
        CliRun neither = CliRun.of(unet("onnxruntime").toArray(String[]::new));
        neither.assertOneErrorLine("--model NAME|CONFIG.json, or --pipeline DIR");
    }

    private static Path copy(String name) throws IOException {
        return TinyPipeline.write(dir.resolve(name));
    }

    private static void deleteTree(Path p) throws IOException {
        try (var files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    /** model_index.json without the line of {@code component}. */
    private static String without(String component) {
        return TinyPipeline.MODEL_INDEX.lines().filter(l -> !l.contains("\"" + component + "\"")).reduce((a, b) -> a + "\n" + b)
                .orElseThrow();
    }
}
