package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code features} and {@code fid} with {@code --extractor fid-inception} on the seeded network
 * whose clean-fid FID make_goldens.py recorded (the workloads module's test resources, fidelity/).
 */
class FidInceptionCommandsTest {
    static final Path GOLDENS = Path.of("../workloads/src/test/resources/fidelity");
    static final Path TORCHSCRIPT = GOLDENS.resolve("fid-inception/inception-seeded.pt");

    @Test
    void fidOfTwoFoldersIsCleanFidsAndSaysItIsFid(@TempDir Path dir) throws IOException {
        var fid = JsonParser.parseString(Files.readString(GOLDENS.resolve("fid-inception/fid.json"))).getAsJsonObject();
        int half = fid.get("split").getAsInt();
        List<Path> images;
        try (Stream<Path> s = Files.list(GOLDENS.resolve("images"))) {
            images = s.sorted().toList();
        }
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        for (int i = 0; i < images.size(); i++) {
            Files.copy(images.get(i), (i < half ? a : b).resolve(images.get(i).getFileName()));
        }
        CliRun run = CliRun.of("fid", "--images-a", a.toString(), "--images-b", b.toString(), "--extractor", "fid-inception",
                "--model", TORCHSCRIPT.toString(), "--kid-subset-size", "4", "--kid-subsets", "3");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.outLines();
        assertTrue(lines.get(0).startsWith("extractor: fid-inception (inception-seeded.pt (TorchScript"), lines.get(0));
        assertTrue(lines.get(0).contains("FID with the standard Inception"), lines.get(0));
        String fidLine = lines.stream().filter(l -> l.startsWith("fid: ")).findFirst().orElseThrow();
        double expected = fid.get("torchscript").getAsDouble();
        assertEquals(expected, Double.parseDouble(fidLine.substring("fid: ".length())), 1e-3 * expected);
    }

    @Test
    void featuresRecordTheExtractorsLabel(@TempDir Path dir) {
        Path out = dir.resolve("f.safetensors");
        CliRun run = CliRun.of("features", "--images", GOLDENS.resolve("images").toString(), "-o", out.toString(),
                "--extractor", "fid-inception", "--model", GOLDENS.resolve("fid-inception/pt_inception-seeded.safetensors").toString());
        assertEquals(0, run.exitCode(), run.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            String label = f.metadata().get("extractor");
            assertTrue(label.startsWith("fid-inception (pt_inception-seeded.safetensors (pytorch-fid state_dict), clean-fid's clean resize"),
                    label);
            assertTrue(label.endsWith(", 128-d)"), label);
        }
    }

    @Test
    void badFilesAreOneLine(@TempDir Path dir) throws IOException {
        CliRun noModel = CliRun.of("features", "--images", GOLDENS.resolve("images").toString(), "-o", dir.resolve("x").toString(),
                "--extractor", "fid-inception");
        noModel.assertOneErrorLine("the fid-inception extractor needs --model FILE");
        Path junk = Files.writeString(dir.resolve("weights.pt"), "junk");
        CliRun neither = CliRun.of("fid", "--images-a", GOLDENS.resolve("images").toString(), "--images-b",
                GOLDENS.resolve("images").toString(), "--extractor", "fid-inception", "--model", junk.toString());
        neither.assertOneErrorLine("is neither a TorchScript file nor a safetensors file");
    }
}
