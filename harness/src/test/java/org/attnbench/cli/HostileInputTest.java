package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.core.UserError;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.store.RunFolder;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs a careless or hostile user gives: each is refused in one line with exit 2, and nothing is harmed or left behind. */
class HostileInputTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", f.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo is needed for this test");
        return f;
    }

    @Test
    void exportOnnxNeverReplacesAFifoOrAFolderAndLeavesNoTemporaryFile() throws Exception {
        Path fifo = fifo("pipe.onnx");
        Path folder = Files.createDirectories(dir.resolve("folder"));
        List<String> before = listing();
        CliRun.of("export-onnx", "--model", "tiny", "-o", fifo.toString()).assertOneErrorLine("is a FIFO, socket or device, not a regular file");
        CliRun.of("export-onnx", "--model", "tiny", "-o", folder.toString()).assertOneErrorLine("is a folder, not a regular file");
        Path link = Files.createSymbolicLink(dir.resolve("link.onnx"), fifo);
        CliRun.of("export-onnx", "--model", "tiny", "-o", link.toString()).assertOneErrorLine("is a FIFO, socket or device");
        Path dataFifo = fifo("model.onnx.data");
        CliRun.of("export-onnx", "--model", "tiny", "-o", dir.resolve("model.onnx").toString())
                .assertOneErrorLine("weights file " + dataFifo + " is a FIFO");
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther() && Files.isDirectory(folder),
                "left as they were");
        List<String> after = listing();
        assertEquals(before.size() + 2, after.size(), "only the link and the second FIFO were added: " + after);
        assertTrue(Files.isSymbolicLink(link), "the link is left as it was");
        // a writer asked directly refuses too, and leaves no temporary file
        assertThrows(UserError.class, () -> Safetensors.write(folder, Map.of("x", HostTensor.of(new float[] {1}, 1))));
        assertThrows(UserError.class, () -> Safetensors.write(fifo, Map.of("x", HostTensor.of(new float[] {1}, 1))));
        assertEquals(after, listing());
    }

    @Test
    void everyOutputOptionIsChecked() throws Exception {
        Path fifo = fifo("out");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        CliRun.of("attention", "--grid", "4x4", "--channels", "8", "--heads", "2", "--output", dir.toString())
                .assertOneErrorLine("--output " + dir + " is a folder");
        CliRun.of("features", "--images", dir.toString(), "-o", fifo.toString()).assertOneErrorLine("--out " + fifo + " is a FIFO");
        CliRun.of("report", dir.toString(), "-o", file.toString()).assertOneErrorLine("--out " + file + " is a regular file, not a folder");
        CliRun.of("unet", "--model", "tiny", "--resolution", "64", "--save-latents", dir.toString())
                .assertOneErrorLine("--save-latents " + dir + " is a folder");
        CliRun.of("run", "../configs/quickstart.yaml", "--out", file.resolve("run").toString())
                .assertOneErrorLine("which is not a folder");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void sizesBeyondTheLimitsAreRefusedBeforeAnythingIsBuilt() throws Exception {
        CliRun.of("unet", "--model", "tiny", "--height", "99984", "--width", "99984").assertOneErrorLine("--height 99984 is out of range: give 1 to 16384");
        CliRun.of("export-onnx", "--model", "tiny", "--height", "99984", "--width", "99984", "-o", dir.resolve("a.onnx").toString())
                .assertOneErrorLine("--height 99984 is out of range");
        CliRun.of("unet", "--model", "tiny", "--height", "16", "--width", "2147483632").assertOneErrorLine("--width 2147483632 is out of range");
        CliRun.of("attention", "--grid", "65536x65536", "--channels", "320", "--heads", "8")
                .assertOneErrorLine("grid side 65536 is out of range: attnbench takes 1 to 2048");
        CliRun.of("validate", "../configs/gate.yaml", "--set", "workloads[1].unet.resolutions=[99968]")
                .assertOneErrorLine("(with --set):");
        Path layers = Files.writeString(dir.resolve("layers.json"),
                "{\"_class_name\": \"PixArtTransformer2DModel\", \"num_layers\": 2000000000, \"sample_size\": 32}");
        CliRun.of("params", "--model", layers.toString()).assertOneErrorLine("num_layers 2000000000 is beyond attnbench's limit of 1024");
        CliRun.of("unet", "--model", layers.toString(), "--resolution", "256").assertOneErrorLine("num_layers 2000000000");
        Path unet = Files.writeString(dir.resolve("unet.json"), Files.readString(Path.of("../models/src/main/resources/unet/tiny.json"))
                .replaceFirst("\"layers_per_block\": *[0-9]+", "\"layers_per_block\": 2000000000"));
        CliRun.of("params", "--model", unet.toString()).assertOneErrorLine("layers_per_block=2000000000 is not supported; attnbench takes at most 64");
        Path sweep = Files.writeString(dir.resolve("s.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [8x8], channels: 16, heads: 2, batch: 100000}
                variants: [dense]
                timing: {iterations: 2000000000}
                """);
        CliRun run = CliRun.of("validate", sweep.toString());
        assertEquals(2, run.errLines().size(), run.err());
        assertTrue(run.err().contains("s.yaml:3:62: workloads[0].attention.batch: must be at most 256; got 100000"), run.err());
        assertTrue(run.err().contains("timing.iterations: must be at most 100000; got 2000000000"), run.err());
    }

    @Test
    void valuesOutsideWhatAFlagMeansAreRefused() throws Exception {
        CliRun.of("export-onnx", "--model", "tiny", "--timestep", "5000", "-o", dir.resolve("a.onnx").toString())
                .assertOneErrorLine("--timestep 5000 is out of range: give 0 to 999");
        CliRun.of("export-onnx", "--model", "tiny", "--timestep", "-1", "-o", dir.resolve("a.onnx").toString())
                .assertOneErrorLine("--timestep -1 is out of range");
        CliRun.of("attention", "--grid", "4x4", "--channels", "8", "--heads", "2", "--repeat", "0")
                .assertOneErrorLine("--repeat 0 is out of range: give 1 to 100000");
        CliRun.of("unet", "--model", "tiny", "--resolution", "64", "--guidance", "NaN").assertOneErrorLine("--guidance NaN is not a finite number");
        assertFalse(Files.exists(dir.resolve("a.onnx")));

        Path empty = dir.resolve("empty");
        RunFolder.create(empty);
        Files.copy(Path.of("../results/baselines/gate/manifest.json"), empty.resolve(RunFolder.MANIFEST));
        CliRun.of("compare", "--baseline", empty.toString(), "--current", "../results/baselines/gate")
                .assertOneErrorLine("--baseline " + empty + " holds no result rows: nothing to compare");
        CliRun.of("compare", "--baseline", "../results/baselines/gate", "--current", empty.toString())
                .assertOneErrorLine("--current " + empty + " holds no result rows");
        CliRun.of("report", "../README.md").assertOneErrorLine("../README.md is not a run folder (it is a file)");
    }

    @Test
    void validateReportsEveryProblemAtItsKey() throws Exception {
        Path c = Files.writeString(dir.resolve("c.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - unet: {model: sd3-tiny, scheduler: ddim}
                  - unet: {model: pixart-tiny, blocks: 0-999}
                variants: [dense]
                timing: {iterations: 0}
                """);
        CliRun run = CliRun.of("validate", c.toString());
        assertEquals(ExitCode.USER_ERROR, run.exitCode());
        assertEquals(List.of(
                "error: " + c + ":3:40: workloads[0].unet.scheduler: sd3-tiny predicts a flow velocity: sample it with scheduler "
                        + "euler (flow-matching Euler, shift 3.0), not ddim",
                "error: " + c + ":4:40: workloads[1].unet.blocks: blocks 0-999 exceed the model's 2 blocks (0-1)",
                "error: " + c + ":6:22: timing.iterations: must be at least 1; got 0"), run.errLines());

        Path big = Files.writeString(dir.resolve("big.yaml"), """
                backends: [onnxruntime]
                workloads:
                  - attention: {grids: [8x8], channels: 16, heads: 2}
                  - attention: {grids: [2048x2048], channels: 16, heads: 2}
                variants: [dense]
                ceilings: false
                """);
        CliRun memory = CliRun.of("validate", big.toString());
        memory.assertOneErrorLine(big + ":4:5: workloads[1]: onnxruntime cpu float32 attention 2048x2048 dense needs at least ");
    }

    @Test
    void aWrongModelIsNamedWithWhatExists() throws Exception {
        CliRun.of("params", "--model", "pixart-tinyy").assertOneErrorLine("pixart-sigma, pixart-sigma-2k, pixart-alpha, pixart-tiny, sd3-medium");
        CliRun.of("params", "--model", "pixart-tinyy").assertOneErrorLine("(did you mean 'pixart-tiny'?)");
        Path cls = Files.writeString(dir.resolve("cls.json"),
                "{\"_class_name\": \"PixArtTransformer2DModelX\", \"num_layers\": 2, \"sample_size\": 32}");
        CliRun.of("params", "--model", cls.toString()).assertOneErrorLine(
                "_class_name 'PixArtTransformer2DModelX' is not a model attnbench builds (UNet2DConditionModel, "
                        + "PixArtTransformer2DModel, SD3Transformer2DModel, FluxTransformer2DModel) (did you mean 'PixArtTransformer2DModel'?)");
    }

    /** The three messages that printed a parser's exception class: a model config, a rows file, a manifest. */
    @Test
    void noLibraryClassNameReachesAMessage() throws Exception {
        Path config = Files.writeString(dir.resolve("cut.json"), "{\"_class_name\": \"UNet2DConditionModel\", \"block_out_channels\": [32, 64");
        CliRun a = CliRun.of("params", "--model", config.toString());
        a.assertOneErrorLine("is not a valid config.json: End of input at line 1 column");
        Path rows = Files.writeString(dir.resolve("rows.jsonl"), "{\"cell\": 5}\n");
        CliRun b = CliRun.of("compare", "--baseline", rows.toString(), "--current", rows.toString());
        b.assertOneErrorLine("not a result row (Expected BEGIN_OBJECT but was NUMBER");
        Path run = Files.createDirectories(dir.resolve("run/cells"));
        Files.writeString(dir.resolve("run/manifest.json"), "{\"name\": [}");
        CliRun c = CliRun.of("report", dir.resolve("run").toString());
        c.assertOneErrorLine("is not a valid manifest: ");
        Path utf = Files.write(dir.resolve("bad.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, '(', '\n'});
        CliRun d = CliRun.of("validate", utf.toString());
        d.assertOneErrorLine("cannot read config " + utf + ": not UTF-8 text");
        for (CliRun r : List.of(a, b, c, d)) {
            assertFalse(r.err().matches("(?s).*\\b(java|javax|com|org)\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)\\b.*"), r.err());
        }
        assertTrue(Files.isDirectory(run));
    }
}
