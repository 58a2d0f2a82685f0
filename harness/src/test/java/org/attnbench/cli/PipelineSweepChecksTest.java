package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.attnbench.harness.TinyPipeline;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's pipeline folders and prompts checked before anything runs, as validate and run see them:
 * every missing or unsupported part refused by name in one line, a Hugging Face cache snapshot read
 * through its links and named by its repository, and a prompt over its tokenizer's length cut with a
 * one-line warning rather than refused.
 */
class PipelineSweepChecksTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws IOException {
        TinyPipeline.write(dir.resolve("good"));
    }

    private static Path config(String name, Path pipeline, String extra) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                backends: [onnxruntime]
                workloads:
                  - unet: {pipeline: %s, resolutions: [64], steps: 2}
                variants: [dense]
                timing: {warmup: 0, iterations: 1, forks: 0}
                ceilings: false
                %s
                """.formatted(pipeline, extra));
    }

    private static Path broken(String name, String indexFrom, String indexTo, String deleteFolder) throws IOException {
        Path p = TinyPipeline.write(dir.resolve(name));
        if (indexFrom != null) Files.writeString(p.resolve("model_index.json"), TinyPipeline.MODEL_INDEX.replace(indexFrom, indexTo));
        if (deleteFolder != null) {
            try (var files = Files.walk(p.resolve(deleteFolder))) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        return p;
    }

    @Test
    void everyMissingOrUnsupportedPartIsOneLineBeforeAnythingRuns() throws IOException {
        record Case(Path pipeline, String extra, String fragment) {}
        List<Case> cases = List.of(
                new Case(broken("upscale", "StableDiffusionPipeline", "StableDiffusionUpscalePipeline", null), "",
                        "pipeline class 'StableDiffusionUpscalePipeline' is not supported; attnbench runs StableDiffusionPipeline"),
                new Case(broken("no-vae", null, null, "vae"), "", "lacks its component folder vae/ (AutoencoderKL"),
                new Case(broken("no-unet-weights", null, null, "unet"), "", "lacks its component folder unet/"),
                new Case(broken("vq", "\"AutoencoderKL\"", "\"VQModel\"", null), "",
                        "component vae of " + dir.resolve("vq") + " is of class VQModel, which attnbench does not load"),
                new Case(broken("no-text", null, null, "text_encoder"), "prompts: [a cat]",
                        "lacks its component folder text_encoder/"),
                new Case(broken("bert", "\"CLIPTokenizer\"", "\"BertTokenizer\"", null), "prompts: [a cat]",
                        "component tokenizer of " + dir.resolve("bert") + " is of class BertTokenizer"),
                new Case(dir.resolve("good"), "prompts: {list: [a cat], max_sequence_length: 64}",
                        "--max-sequence-length sets the T5 prompt length; a StableDiffusionPipeline has no T5 encoder"));
        for (Case c : cases) {
            Path config = config(c.pipeline().getFileName().toString(), c.pipeline(), c.extra());
            CliRun validate = CliRun.of("validate", config.toString());
            validate.assertOneErrorLine(c.fragment());
            CliRun run = CliRun.of("run", config.toString(), "--out", dir.resolve("never-" + c.pipeline().getFileName()).toString());
            run.assertOneErrorLine(c.fragment());
            assertTrue(!Files.exists(dir.resolve("never-" + c.pipeline().getFileName())), "nothing ran");
        }
        Path model = Files.writeString(dir.resolve("model-too.yaml"), """
                workloads:
                  - unet: {pipeline: %s, model: tiny}
                variants: [dense]
                """.formatted(dir.resolve("good")));
        CliRun both = CliRun.of("validate", model.toString());
        both.assertOneErrorLine("'model' comes from the pipeline folder (its unet/ or transformer/); leave it out");
    }

    @Test
    void aHuggingFaceCacheSnapshotIsReadThroughItsLinksAndNamedByItsRepository() throws IOException {
        Path repo = dir.resolve("hub/models--acme--tiny-sd");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abcd"));
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path source = dir.resolve("good");
        try (var files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path blob = blobs.resolve(Integer.toHexString(f.toString().hashCode()));
                Files.copy(f, blob);
                Path link = snapshot.resolve(source.relativize(f).toString());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, link.getParent().relativize(blob));
            }
        }
        CliRun validate = CliRun.of("validate", config("snapshot", snapshot, "prompts: [a cat]").toString());
        assertEquals(0, validate.exitCode(), validate.out() + validate.err());
        assertTrue(validate.out().contains("onnxruntime cpu float32 acme/tiny-sd 64px dense"), validate.out());
    }

    @Test
    void aPromptOverItsLengthIsCutWithAOneLineWarning() throws IOException {
        String lengthy = "a lighthouse on a cliff at dawn ".repeat(20).strip();
        Path config = config("long", dir.resolve("good"), "prompts: [\"" + lengthy + "\"]\nfidelity: {save_images: false}");
        Path out = dir.resolve("long-run");
        CliRun run = CliRun.of("run", config.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        ResultRow row = RunFolder.open(out).rows().get(0);
        assertTrue(row.files().containsKey("outputs") && row.files().keySet().stream().noneMatch(k -> k.startsWith("image_")),
                "save_images: false keeps the outputs, drops the PNGs: " + row.files());
        try (var files = Files.walk(out.resolve("cells"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".png")), "no image left in the cells' folders");
        }
        List<String> warnings = run.outLines().stream().filter(l -> l.contains("warning: prompt 1 is longer than 77 tokens")).toList();
        assertEquals(1, warnings.size(), run.out());
        assertTrue(warnings.get(0).contains("this part was cut: ") && warnings.get(0).contains("lighthouse"), warnings.get(0));
    }
}
