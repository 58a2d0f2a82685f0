package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.attnbench.harness.TinyPipeline;
import org.attnbench.schemas.SchemaCheck;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.Quality;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded SD 1.5-shaped pipeline folder in diffusers' layout run end to end as a sweep with
 * prompts from a COCO captions file, on both backends: the prompts encoded once per run (the log
 * says so once, a resumed run encodes nothing), every prompt's images saved per cell, each equal to
 * the image {@code unet --pipeline} makes of the same prompt and seed (a cross-step method's too,
 * its prompts sampled through its step plan), the report's grid drawn, and the prompt set named in
 * the rows.
 */
class PromptSweepTest {
    static final List<String> CAPTIONS = List.of("A red fox standing in the snow.", "Two cats asleep on a windowsill.",
            "A lighthouse on a cliff at dawn.");
    static final long SEED = 7;
    /** Full steps 0 and 2 (the pipeline's PNDM runs the UNet 4 times for 3 steps), partial ones on the branch they kept. */
    static final String DEEPCACHE = "deepcache:cache_interval=2,cache_branch_id=0";

    @TempDir
    static Path dir;
    static Path pipeline;
    static Path out;
    static CliRun run;
    static Map<String, ResultRow> rows;

    @BeforeAll
    static void runTheSweep() throws IOException {
        pipeline = TinyPipeline.write(dir.resolve("sd15-tiny"));
        Path captions = dir.resolve("captions_val.json");
        StringBuilder json = new StringBuilder("{\"info\": {}, \"images\": [], \"annotations\": [");
        for (int i = 0; i < CAPTIONS.size(); i++) {
            json.append(i == 0 ? "" : ", ").append("{\"image_id\": ").append(100 + i).append(", \"id\": ").append(i)
                    .append(", \"caption\": \"").append(CAPTIONS.get(i)).append("\"}");
        }
        Files.writeString(captions, json.append("]}").toString());
        Path config = dir.resolve("prompts.yaml");
        Files.writeString(config, """
                name: prompts
                backends: [onnxruntime, djl]
                workloads:
                  - unet: {pipeline: %s, resolutions: [64], steps: 3}
                variants: [dense, "todo:factor=2", "%s"]
                prompts: {file: %s, limit: 2, images_per_prompt: 2, negative_prompt: blurry}
                timing: {warmup: 0, iterations: 1, forks: 0}
                fidelity: {clip: %s}
                seed: %d
                ceilings: false
                """.formatted(pipeline, DEEPCACHE, captions, TinyPipeline.CLIP, SEED));
        out = dir.resolve("run");
        run = CliRun.of("run", config.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(6, SchemaCheck.assertRunValid(out), "rows, manifest and prompt encoding as their schemas say");
        rows = RunFolder.open(out).rows().stream().collect(Collectors.toMap(r -> r.cell().backend() + " " + r.cell().variant(),
                Function.identity()));
    }

    @Test
    void thePromptsAreEncodedOncePerRunAndTheCellsSampleEachPromptsImages() {
        List<String> encoding = run.outLines().stream().filter(l -> l.startsWith("encoding ")).toList();
        assertEquals(List.of("encoding 2 prompts of captions_val (2 prompts x 2 images) with sd15-tiny (StableDiffusionPipeline)"
                + " on onnxruntime cpu -> " + encodingFolder()), encoding, run.out());
        assertEquals(6, rows.size(), rows.keySet().toString());
        for (ResultRow r : rows.values()) {
            assertTrue(r.ok(), r.cell().id() + ": " + r.error());
            assertEquals("prompts captions_val (2 prompts x 2 images)", r.cell().inputs(), "the row names the prompt set");
            for (int s = 0; s < 4; s++) assertTrue(Files.isRegularFile(out.resolve(r.files().get("image_" + s))), r.files().toString());
            assertEquals(4, r.quality().samples());
        }
        PromptEncoding e = PromptEncoding.read(out.resolve(encodingFolder()));
        assertEquals(List.of(CAPTIONS.get(0), CAPTIONS.get(1)), e.prompts().stream().map(PromptEncoding.Entry::prompt).toList());
        assertEquals(1, e.sessions().size());
        assertEquals(2, e.sessions().get(0).encoded());
        assertTrue(e.sessions().get(0).peakRssMb() > 10 && e.sessions().get(0).seconds() > 0, e.sessions().toString());
    }

    @Test
    void eachSavedImageIsTheOneTheUnetCommandMakesOfItsPromptAndSeed() throws IOException {
        // image 3 of a cell: prompt 1, its second image (seed + 1)
        for (String backend : List.of("onnxruntime", "djl")) {
            Path mine = dir.resolve("command-" + backend + ".png");
            Path cached = out.resolve(encodingFolder());
            List<String> source = backend.equals("onnxruntime")
                    ? List.of("--prompt", CAPTIONS.get(1), "--negative-prompt", "blurry")
                    // the sweep encodes on ONNX Runtime for every backend: DJL's cells take that file's states
                    : List.of("--embeddings", cached.resolve(PromptEncoding.read(cached).prompts().get(1).file()).toString());
            List<String> args = new java.util.ArrayList<>(List.of("unet", "--pipeline", pipeline.toString(), "--resolution", "64",
                    "--steps", "3", "--seed", String.valueOf(SEED + 1), "--backend", backend, "--save-image", mine.toString()));
            args.addAll(source);
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.out() + r.err());
            ResultRow dense = rows.get(backend + " dense");
            assertSamePixels(out.resolve(dense.files().get("image_3")), mine);
        }
        ResultRow ort = rows.get("onnxruntime dense");
        assertFalse(samePixels(out.resolve(ort.files().get("image_0")), out.resolve(ort.files().get("image_2"))),
                "another prompt, another image");
        assertFalse(samePixels(out.resolve(ort.files().get("image_2")), out.resolve(ort.files().get("image_3"))),
                "another seed, another image");
    }

    @Test
    void aCrossStepCellSamplesEachPromptThroughItsPlanAsTheUnetCommandDoes() throws IOException {
        for (String backend : List.of("onnxruntime", "djl")) {
            ResultRow cached = rows.get(backend + " " + DEEPCACHE);
            assertNotNull(cached, rows.keySet().toString());
            assertTrue(cached.ok(), cached.error());
            assertEquals(List.of("full", "partial"), cached.timing().phases().stream().map(p -> p.kind()).distinct().sorted().toList(),
                    "the timed prompt's image ran full and partial steps");
            assertTrue(cached.cost().flopsSkipped() > 0, cached.cost().toString());
            Path mine = dir.resolve("deepcache-" + backend + ".png");
            Path encoded = out.resolve(encodingFolder());
            List<String> args = new java.util.ArrayList<>(List.of("unet", "--pipeline", pipeline.toString(), "--resolution", "64",
                    "--steps", "3", "--seed", String.valueOf(SEED + 1), "--backend", backend, "--variant", DEEPCACHE,
                    "--save-image", mine.toString(), "--embeddings",
                    encoded.resolve(PromptEncoding.read(encoded).prompts().get(1).file()).toString()));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("step 2/4 ") && l.contains(" partial ")), r.out());
            assertSamePixels(out.resolve(cached.files().get("image_3")), mine);
            assertFalse(samePixels(mine, out.resolve(rows.get(backend + " dense").files().get("image_3"))),
                    "the cached step changes the image");
        }
    }

    @Test
    void everyCellHasTheClipScoreOfItsImagesAgainstTheirPromptsWithIntervals() throws IOException {
        for (ResultRow r : rows.values()) {
            Quality q = r.quality();
            assertTrue(q.clipModel().startsWith("clip-score (clip: 2 layers x 32, patch 16, 224 px"), q.clipModel());
            Path images = Files.createDirectories(dir.resolve("clip-" + r.cell().backend() + "-" + r.cell().family()));
            for (int j = 0; j < 4; j++) Files.copy(out.resolve(r.files().get("image_" + j)), images.resolve("image_" + j + ".png"));
            Path prompts = dir.resolve("clip-prompts.txt");
            Files.writeString(prompts, String.join("\n", CAPTIONS.get(0), CAPTIONS.get(0), CAPTIONS.get(1), CAPTIONS.get(1)) + "\n");
            CliRun c = CliRun.of("clip-score", "--clip", TinyPipeline.CLIP.toString(), "--images", images.toString(),
                    "--prompts", prompts.toString());
            assertEquals(0, c.exitCode(), c.out() + c.err());
            double expected = Double.parseDouble(c.outLines().stream().filter(l -> l.startsWith("clip_score: ")).findFirst()
                    .orElseThrow().substring("clip_score: ".length()));
            assertEquals(expected, q.clipScore(), 1e-6, "the clip-score command's score on the same images and prompts");
            Quality.Interval ci = q.interval("clip_score");
            assertNotNull(ci, q.intervals().toString());
            assertTrue(ci.low() <= q.clipScore() + 1e-9 && q.clipScore() <= ci.high() + 1e-9 && ci.low() < ci.high(), ci.toString());
        }
        Quality todo = rows.get("onnxruntime todo:factor=2,method=nearest-exact").quality();
        assertTrue(todo.mse() > 0 && todo.interval("mse") != null && todo.interval("mse").low() <= todo.mse(), todo.toString());
    }

    @Test
    void theReportDrawsTheGridOfOnePromptAndSeedAcrossVariants() throws IOException {
        String html = Files.readString(out.resolve("report/index.html"));
        assertTrue(html.contains("Decoded images"), "the image grid is drawn");
        assertTrue(html.contains(CAPTIONS.get(0)), "its caption names the prompt");
        assertTrue(html.contains("seed " + SEED), "and the seed");
        assertTrue(html.contains("captions_val"), "the report names the prompt set");
        assertTrue(html.contains("CLIP score of every cell") && html.contains("Prompt encoding"), "the fidelity and encoding tables");
        try (var images = Files.list(out.resolve("report/images"))) {
            assertTrue(images.anyMatch(p -> p.getFileName().toString().startsWith("images-")), "the grid's PNG");
        }
    }

    @Test
    void aResumedRunEncodesNothingItHas() {
        CliRun again = CliRun.of("run", "--resume", out.toString());
        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.outLines().stream().noneMatch(l -> l.startsWith("encoding ")), again.out());
    }

    private static String encodingFolder() {
        try (var folders = Files.list(out.resolve(PromptEncoding.FOLDER))) {
            List<Path> all = folders.toList();
            assertEquals(1, all.size(), all.toString());
            return PromptEncoding.FOLDER + "/" + all.get(0).getFileName();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertSamePixels(Path a, Path b) throws IOException {
        assertTrue(samePixels(a, b), a + " and " + b + " differ");
    }

    static boolean samePixels(Path a, Path b) throws IOException {
        BufferedImage x = ImageIO.read(a.toFile());
        BufferedImage y = ImageIO.read(b.toFile());
        assertNotNull(x);
        assertNotNull(y);
        if (x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) return false;
        for (int i = 0; i < x.getWidth(); i++) {
            for (int j = 0; j < x.getHeight(); j++) if (x.getRGB(i, j) != y.getRGB(i, j)) return false;
        }
        return true;
    }
}
