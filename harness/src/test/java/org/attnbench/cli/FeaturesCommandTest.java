package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.safetensors.SafetensorsFile;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;
import org.attnbench.workloads.features.NsfwjsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
    static final Path PHOTOS = Path.of("/usr/share/backgrounds/mate/nature");
    static final String CAVEAT = "the score is FID-like, not comparable with published FID";

    /** A folder holding copies of the named mate-backgrounds photos. */
    static Path photos(Path dir, String name, String... files) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (String f : files) Files.copy(PHOTOS.resolve(f), folder.resolve(f));
        return folder;
    }

    static Path solidPng(Path dir, String name, int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** An ONNX "extractor" whose features are each image's mean R, G, B: input x [2, 3, 8, 8], output rgb [2, 3]. */
    static Path meanRgbModel(Path dir) {
        GraphBuilder g = new GraphBuilder("mean_rgb");
        Value x = g.input("x", DType.FLOAT32, 2, 3, 8, 8);
        g.output("rgb", g.reduceMean(x, new long[] {2, 3}, false));
        Path file = dir.resolve("mean_rgb.onnx");
        g.build().write(file);
        return file;
    }

    @Test
    void nsfwjsFeaturesOnBothBackendsThenFidFromFilesAndFolders(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isDirectory(PHOTOS), "Debian package mate-backgrounds is not installed");
        assumeTrue(NsfwjsFixture.installed(), NsfwjsFixture.MISSING);
        Path a = photos(dir, "a", "Aqua.jpg", "Blinds.jpg", "Dune.jpg");
        Path b = photos(dir, "b", "Garden.jpg", "Storm.jpg", "Wood.jpg");

        Path fa = dir.resolve("a.safetensors");
        CliRun features = CliRun.of("features", "--extractor", "nsfwjs-inception-v3", "--images", a.toString(), "-o", fa.toString());
        assertEquals(0, features.exitCode(), features.err());
        assertEquals("extractor: nsfwjs-inception-v3 (flatten_1, 2048-d)", features.outLines().get(0));
        assertTrue(features.outLines().get(1).startsWith("wrote " + fa + ": features [3, 2048]"), features.out());
        try (SafetensorsFile f = SafetensorsFile.open(fa)) {
            assertArrayEquals(new long[] {3, 2048}, f.tensor("features").shape());
            assertEquals("nsfwjs-inception-v3 (flatten_1, 2048-d)", f.metadata().get("extractor"));
        }

        Path fb = dir.resolve("b.safetensors");
        CliRun djl = CliRun.of("features", "--images", b.toString(), "--backend", "djl", "-o", fb.toString());
        assertEquals(0, djl.exitCode(), djl.err());
        CliRun files = CliRun.of("fid", "--features-a", fa.toString(), "--features-b", fb.toString(), "--kid-subset-size", "3");
        assertEquals(0, files.exitCode(), files.err());
        assertEquals("extractor: nsfwjs-inception-v3 (flatten_1, 2048-d); " + CAVEAT, files.outLines().get(0));

        CliRun folders = CliRun.of("fid", "--images-a", a.toString(), "--images-b", b.toString(), "--kid-subset-size", "3");
        assertEquals(0, folders.exitCode(), folders.err());
        List<String> lines = folders.outLines();
        assertEquals(files.outLines().get(0), lines.get(0));
        double fromFolders = Double.parseDouble(lines.get(1).substring("fid: ".length()));
        double fromFiles = Double.parseDouble(files.outLines().get(1).substring("fid: ".length()));
        assertTrue(fromFolders > 1, folders.out());
        assertEquals(fromFiles, fromFolders, 1e-4 * fromFiles, "DJL's and ORT's features give the same score");
        assertTrue(lines.get(2).matches("kid: \\S+ \\+- \\S+"), folders.out());

        Path f5 = dir.resolve("mixed5.safetensors");
        CliRun mixed5 = CliRun.of("features", "--images", a.toString(), "--layer", "mixed5", "-o", f5.toString());
        assertEquals(0, mixed5.exitCode(), mixed5.err());
        assertEquals("extractor: nsfwjs-inception-v3 (mixed5, 768-d)", mixed5.outLines().get(0));
        CliRun mixedUp = CliRun.of("fid", "--features-a", fa.toString(), "--features-b", f5.toString());
        mixedUp.assertOneErrorLine("the feature files come from different extractors: nsfwjs-inception-v3 (flatten_1, 2048-d)");
    }

    @Test
    void onnxExtractorFeedsResizedImagesInTheValueRange(@TempDir Path dir) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        solidPng(images, "1.png", 20, 10, 0xff0033);
        solidPng(images, "2.png", 5, 7, 0x000000);
        solidPng(images, "3.png", 9, 9, 0xffffff);
        Path model = meanRgbModel(dir);
        Path out = dir.resolve("f.safetensors");
        CliRun run = CliRun.of("features", "--extractor", "onnx", "--model", model.toString(), "--output", "rgb",
                "--value-range", "-1,1", "--images", images.toString(), "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("extractor: onnx (mean_rgb.onnx, output rgb, 8x8, values -1..1, 3-d)", run.outLines().get(0));
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            HostTensor t = f.tensor("features");
            assertArrayEquals(new long[] {3, 3}, t.shape(), "three images through a graph of batch 2: the last one padded");
            assertArrayEquals(new float[] {1, -1, -0.6f, -1, -1, -1, 1, 1, 1}, t.toFloats(), 1e-5f);
        }
    }

    @Test
    void badInputIsOneErrorLine(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "no images here");
        Path out = dir.resolve("f.safetensors");
        CliRun.of("features", "--images", empty.toString(), "-o", out.toString())
                .assertOneErrorLine("images folder " + empty + " has no readable image");
        CliRun.of("fid", "--images-a", empty.toString(), "--images-b", empty.toString())
                .assertOneErrorLine("has no readable image");

        Path images = Files.createDirectories(dir.resolve("images"));
        solidPng(images, "1.png", 4, 4, 0x123456);
        CliRun.of("features", "--extractor", "inception", "--images", images.toString(), "-o", out.toString())
                .assertOneErrorLine("unknown extractor 'inception': use nsfwjs-inception-v3 or fid-inception or onnx");
        Path model = meanRgbModel(dir);
        CliRun.of("features", "--extractor", "onnx", "--model", model.toString(), "--output", "pool3",
                "--images", images.toString(), "-o", out.toString())
                .assertOneErrorLine("has no output 'pool3': its outputs are rgb");
        CliRun.of("features", "--extractor", "onnx", "--model", model.toString(), "--output", "rgb", "--input-size", "299",
                "--images", images.toString(), "-o", out.toString())
                .assertOneErrorLine("--input-size 299 does not match (leave it out or give 8)");
        CliRun.of("features", "--extractor", "onnx", "--images", images.toString(), "-o", out.toString())
                .assertOneErrorLine("the onnx extractor needs --model FILE.onnx and --output NAME");
        CliRun.of("features", "--model", model.toString(), "--images", images.toString(), "-o", out.toString())
                .assertOneErrorLine("--model does not apply to the nsfwjs-inception-v3 extractor");
        CliRun.of("features", "--layer", "mixed7", "--images", images.toString(), "-o", out.toString())
                .assertOneErrorLine("unknown layer 'mixed7': use flatten_1 or mixed5");

        CliRun.of("fid", "--images-a", images.toString()).assertOneErrorLine(
                "give either --features-a and --features-b, or --images-a and --images-b");
        CliRun.of("fid").assertOneErrorLine("give either --features-a and --features-b, or --images-a and --images-b");
        CliRun.of("fid", "--features-a", out.toString(), "--features-b", out.toString(), "--layer", "mixed5")
                .assertOneErrorLine("--layer applies only with --images-a and --images-b");
        CliRun.of("fid", "--features-a", out.toString(), "--features-b", out.toString(), "--images-a", images.toString(),
                "--images-b", images.toString()).assertOneErrorLine("give either");
    }

    @Test
    void missingNpmPackageSaysHowToInstallIt(@TempDir Path dir) throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools/nsfwjs"));
        Files.writeString(tools.resolve("package.json"), "{}");
        Path images = Files.createDirectories(dir.resolve("images"));
        solidPng(images, "1.png", 4, 4, 0x123456);
        Path script = NsfwjsFixture.script();
        String old = System.getProperty("attnbench.home");
        System.setProperty("attnbench.home", dir.toString());
        try {
            CliRun.of("features", "--images", images.toString(), "-o", dir.resolve("f.safetensors").toString())
                    .assertOneErrorLine("the nsfwjs-inception-v3 extractor needs the npm package nsfwjs 4.4.0, which is not installed in "
                            + tools + ": run npm ci --prefix " + tools);
            Path nsfwjs = Files.createDirectories(tools.resolve("node_modules/nsfwjs/dist/models/inception_v3"));
            Files.writeString(tools.resolve("node_modules/nsfwjs/package.json"), "{\"version\": \"4.3.0\"}");
            CliRun.of("features", "--images", images.toString(), "-o", dir.resolve("f.safetensors").toString())
                    .assertOneErrorLine("which is at version 4.3.0 in " + tools + ": run npm ci --prefix " + tools);
            // Installed but the unpacking script fails (here: nsfwjs's bundles are missing): one line from it.
            Files.writeString(tools.resolve("node_modules/nsfwjs/package.json"), "{\"version\": \"4.4.0\"}");
            Files.copy(script, tools.resolve("unpack-inception-v3.js"));
            CliRun broken = CliRun.of("features", "--images", images.toString(), "-o", dir.resolve("f.safetensors").toString());
            assumeTrue(!broken.err().contains("cannot be started"), "node is not on the PATH");
            broken.assertOneErrorLine("unpack-inception-v3.js failed: nsfwjs is not installed in " + tools);
            assertTrue(Files.isDirectory(nsfwjs));
        } finally {
            if (old == null) System.clearProperty("attnbench.home");
            else System.setProperty("attnbench.home", old);
        }
    }
}
