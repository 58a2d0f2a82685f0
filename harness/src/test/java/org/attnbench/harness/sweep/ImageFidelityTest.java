package org.attnbench.harness.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.attnbench.cli.Main;
import org.attnbench.harness.TinyVae;
import org.attnbench.schemas.SchemaCheck;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RunFolder;
import org.attnbench.workloads.features.NsfwjsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UNet sweep whose fidelity samples are decoded by a VAE: images compared as a viewer sees them, and FID-like scored. */
class ImageFidelityTest {
    @Test
    void decodedImagesAreSavedComparedAndScoredWithTheExtractor(@TempDir Path dir) throws Exception {
        assumeTrue(NsfwjsFixture.installed(), NsfwjsFixture.MISSING);
        Path vae = Files.createDirectories(dir.resolve("vae"));
        TinyVae.write(vae);
        Path config = dir.resolve("images.yaml");
        Files.writeString(config, """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [64], steps: 2, guidance: 1.0, vae: %s}
                variants: [dense, "todo:factor=2", "todo:factor=1"]
                timing: {warmup: 0, iterations: 2, forks: 0}
                fidelity: {samples: 3, extractor: nsfwjs-inception-v3}
                ceilings: false
                """.formatted(vae));
        Path out = dir.resolve("run");
        assertEquals(0, Main.execute("run", config.toString(), "--out", out.toString()));
        assertEquals(3, SchemaCheck.assertRunValid(out), "rows with images and FID-like scores hold to the schema");
        Map<String, ResultRow> rows = RunFolder.open(out).rows().stream()
                .collect(Collectors.toMap(r -> r.cell().variant(), Function.identity()));
        ResultRow same = rows.get("todo:factor=1,method=nearest-exact");
        ResultRow todo = rows.get("todo:factor=2,method=nearest-exact");
        for (ResultRow r : rows.values()) {
            for (int s = 0; s < 3; s++) assertTrue(Files.exists(out.resolve(r.files().get("image_" + s))), r.files().toString());
        }
        assertEquals(3, todo.quality().samples());
        assertTrue(todo.quality().mse() > 0 && todo.quality().mse() < 1, "on the [0, 1] scale: " + todo.quality().mse());
        assertTrue(same.quality().mse() < 1e-10, "factor 1 is dense: " + same.quality().mse());
        // HPF on 0..255: a 2x-upsampled decoder output of random weights has detail of a few levels at least
        assertTrue(todo.quality().hpf() > 0.1 && todo.quality().hpfReference() > 0.1, todo.quality().toString());
        assertTrue(todo.quality().extractor().startsWith("nsfwjs-inception-v3 (flatten_1, 2048-d)"), todo.quality().extractor());
        assertTrue(todo.quality().fidLike() >= 0, "FID-like " + todo.quality().fidLike());
        assertTrue(same.quality().fidLike() < 1e-3, "identical images: FID-like " + same.quality().fidLike());
        assertTrue(todo.quality().fidLike() > same.quality().fidLike());
    }

    @Test
    void theStandardFidExtractorScoresEveryCellAgainstAReferenceSetCachedBesideIt(@TempDir Path dir) throws Exception {
        Path goldens = Path.of("../workloads/src/test/resources/fidelity").toAbsolutePath();
        Path model = goldens.resolve("fid-inception/inception-seeded.pt");
        Path set = Files.createDirectories(dir.resolve("reference-images"));
        try (var images = Files.list(goldens.resolve("images"))) {
            for (Path p : images.toList()) Files.copy(p, set.resolve(p.getFileName()));
        }
        Path vae = Files.createDirectories(dir.resolve("vae"));
        TinyVae.write(vae);
        Path config = dir.resolve("fid.yaml");
        Files.writeString(config, """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: tiny, resolutions: [64], steps: 2, guidance: 1.0, vae: %s}
                variants: [dense, "todo:factor=2"]
                timing: {warmup: 0, iterations: 2, forks: 0}
                fidelity: {samples: 3, extractor: {name: fid-inception, model: %s}, reference_images: %s}
                ceilings: false
                """.formatted(vae, model, set));
        Path out = dir.resolve("run");
        assertEquals(0, Main.execute("run", config.toString(), "--out", out.toString()));
        Map<String, ResultRow> rows = RunFolder.open(out).rows().stream()
                .collect(Collectors.toMap(r -> r.cell().variant(), Function.identity()));
        for (ResultRow r : rows.values()) {
            assertTrue(r.quality().extractor().startsWith("fid-inception (inception-seeded.pt (TorchScript"), r.quality().extractor());
            var scores = r.quality().referenceSet();
            assertEquals("reference-images", scores.name());
            assertEquals(8, scores.setImages());
            assertEquals(3, scores.cellImages());
            assertTrue(scores.fid() > 0 && Double.isFinite(scores.kid()), scores.toString());
        }
        assertTrue(rows.get("todo:factor=2,method=nearest-exact").quality().fidLike() > 0);
        List<Path> caches;
        try (var files = Files.list(set)) {
            caches = files.filter(p -> p.getFileName().toString().startsWith(".attnbench-reference-")).toList();
        }
        assertEquals(1, caches.size(), caches.toString());
        long written = Files.getLastModifiedTime(caches.get(0)).toMillis();
        // A second run reads the cache; a changed image makes (and uses) another one.
        Path again = dir.resolve("again");
        assertEquals(0, Main.execute("run", config.toString(), "--out", again.toString()));
        assertEquals(written, Files.getLastModifiedTime(caches.get(0)).toMillis());
        assertEquals(rows.get("dense").quality().referenceSet(),
                RunFolder.open(again).rows().stream().filter(r -> r.cell().variant().equals("dense")).findFirst().orElseThrow()
                        .quality().referenceSet());
        Files.copy(goldens.resolve("images/a_rgb_64x48.png"), set.resolve("b_rgb_420x310.png"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, Main.execute("run", config.toString(), "--out", dir.resolve("changed").toString()));
        try (var files = Files.list(set)) {
            assertEquals(2, files.filter(p -> p.getFileName().toString().startsWith(".attnbench-reference-")).count());
        }
    }
}
