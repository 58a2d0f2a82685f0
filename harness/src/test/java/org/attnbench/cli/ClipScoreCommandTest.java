package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clip-score} on the seeded CLIPModel whose torchmetrics CLIPScore make_goldens.py recorded
 * (the workloads module's test resources, fidelity/), and the one line each bad input gets.
 */
class ClipScoreCommandTest {
    static final Path GOLDENS = FidInceptionCommandsTest.GOLDENS;
    static final Path CLIP = GOLDENS.resolve("clip");
    static final Path IMAGES = GOLDENS.resolve("images");
    static final Path PROMPTS = GOLDENS.resolve("prompts.txt");

    @Test
    void printsTorchmetricsScoreOnItsOwnLine() throws IOException {
        double expected = JsonParser.parseString(Files.readString(GOLDENS.resolve("clip-score.json"))).getAsJsonObject()
                .get("clip_score").getAsDouble();
        for (String backend : List.of("onnxruntime", "djl")) {
            CliRun run = CliRun.of("clip-score", "--clip", CLIP.toString(), "--images", IMAGES.toString(), "--prompts",
                    PROMPTS.toString(), "--backend", backend);
            assertEquals(0, run.exitCode(), run.err());
            List<String> lines = run.outLines();
            assertTrue(lines.get(0).startsWith("model: clip-score (clip: "), lines.get(0));
            assertEquals("images: 8", lines.get(1));
            String score = lines.stream().filter(l -> l.startsWith("clip_score: ")).findFirst().orElseThrow();
            assertEquals(expected, Double.parseDouble(score.substring("clip_score: ".length())), 1e-3, backend);
        }
    }

    @Test
    void aPromptsFileShorterThanTheImagesIsOneLine(@TempDir Path dir) throws IOException {
        Path three = Files.writeString(dir.resolve("three.txt"), "a\nb\nc\n");
        CliRun run = CliRun.of("clip-score", "--clip", CLIP.toString(), "--images", IMAGES.toString(), "--prompts", three.toString());
        run.assertOneErrorLine("has 3 prompts for the 8 images");
    }

    @Test
    void anUnreadableImageIsOneLine(@TempDir Path dir) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        try (Stream<Path> s = Files.list(IMAGES)) {
            for (Path p : s.toList()) Files.copy(p, images.resolve(p.getFileName()));
        }
        Files.writeString(images.resolve("b_broken.png"), "this is not a png");
        Path prompts = Files.writeString(dir.resolve("p.txt"), "x\n".repeat(9));
        CliRun run = CliRun.of("clip-score", "--clip", CLIP.toString(), "--images", images.toString(), "--prompts", prompts.toString());
        run.assertOneErrorLine("cannot read image");
        assertTrue(run.err().contains("b_broken.png"), run.err());
    }

    @Test
    void aFolderThatIsNoClipModelIsOneLine(@TempDir Path dir) throws IOException {
        Path clip = Files.createDirectories(dir.resolve("clip"));
        try (Stream<Path> s = Files.list(CLIP)) {
            for (Path p : s.toList()) Files.copy(p, clip.resolve(p.getFileName()));
        }
        Files.writeString(clip.resolve("model.safetensors"), "not safetensors");
        CliRun broken = CliRun.of("clip-score", "--clip", clip.toString(), "--images", IMAGES.toString(), "--prompts", PROMPTS.toString());
        broken.assertOneErrorLine("model.safetensors");
        Files.delete(clip.resolve("preprocessor_config.json"));
        CliRun noProcessor = CliRun.of("clip-score", "--clip", clip.toString(), "--images", IMAGES.toString(), "--prompts", PROMPTS.toString());
        noProcessor.assertOneErrorLine("has no preprocessor_config.json");
    }
}
