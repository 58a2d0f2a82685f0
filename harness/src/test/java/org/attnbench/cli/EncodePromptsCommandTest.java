package org.attnbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encode-prompts as a user meets it: what it writes and says, and one error line for each kind of bad input. */
class EncodePromptsCommandTest {
    @TempDir
    Path dir;
    private final List<Path> links = new ArrayList<>();

    @AfterEach
    void removeLinks() throws IOException {
        for (Path link : links) Files.deleteIfExists(link);
    }

    /** shared/golden/text beside the checkout (the test is skipped without it, and fails under CI). */
    private static Path golden() {
        String override = System.getProperty("attnbench.golden");
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root.getParent() != null && Files.exists(root.getParent().resolve("pom.xml"))) root = root.getParent();
        Path text = (override != null ? Path.of(override) : root.resolveSibling("shared").resolve("golden")).resolve("text");
        if (!Files.isDirectory(text)) {
            if (System.getenv("CI") != null) fail("text golden runs not found at " + text);
            Assumptions.abort("text golden runs not found at " + text);
        }
        return text;
    }

    /** A pipeline folder with sd15's model_index.json and links to the golden components named. */
    private Path sd15With(String... components) throws IOException {
        Path golden = golden().resolve("sd15");
        Path pipe = Files.createDirectories(dir.resolve("pipe"));
        Files.copy(golden.resolve("model_index.json"), pipe.resolve("model_index.json"));
        for (String c : components) links.add(Files.createSymbolicLink(pipe.resolve(c), golden.resolve(c)));
        return pipe;
    }

    @Test
    void writesThePipelinesTensorsAndWarnsOfACutPrompt() {
        Path out = dir.resolve("deep/out.safetensors");
        String lengthy = "a lighthouse on a cliff at dawn, ".repeat(20);
        CliRun run = CliRun.of("encode-prompts", "--pipeline", golden().resolve("sd2").toString(), "--prompt", "wow!",
                "--prompt", lengthy, "-o", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("wrote " + out + " (StableDiffusionPipeline, 2 prompts): prompt_embeds FLOAT32 [2, 77, 8]"),
                run.out());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.errLines().get(0).startsWith("warning: prompt 2 is longer than 77 tokens of tokenizer; this part was cut:"),
                run.err());
        Map<String, HostTensor> tensors = Safetensors.read(out);
        assertEquals(List.of("prompt_embeds", "negative_prompt_embeds", "input_ids"), List.copyOf(tensors.keySet()));
        long[] ids = tensors.get("input_ids").toLongs();
        assertEquals(0, ids[2], "with the pad token !, a prompt's ! is id 0");
    }

    @Test
    void loadsAnFp16OnlyTextEncoderWithOrWithoutBeingTold() throws IOException {
        Path golden = golden().resolve("sd15");
        Path pipe = sd15With("tokenizer");
        Path encoder = Files.createDirectories(pipe.resolve("text_encoder"));
        links.add(Files.createSymbolicLink(encoder.resolve("config.json"), golden.resolve("text_encoder/config.json")));
        links.add(Files.createSymbolicLink(encoder.resolve("model.fp16.safetensors"), golden.resolve("text_encoder/model.safetensors")));
        Map<String, HostTensor> reference = encode(golden, "plain");
        for (List<String> variant : List.of(List.<String>of(), List.of("--weights-variant", "fp16"))) {
            Map<String, HostTensor> got = encode(pipe, "fp16" + variant.size(), variant.toArray(String[]::new));
            assertEquals(reference.keySet(), got.keySet());
            for (String name : reference.keySet()) {
                assertArrayEquals(reference.get(name).toByteArray(), got.get(name).toByteArray(), name);
            }
        }
        CliRun bf16 = CliRun.of("encode-prompts", "--pipeline", pipe.toString(), "--prompt", "a", "--weights-variant", "bf16",
                "-o", dir.resolve("bf16.safetensors").toString());
        bf16.assertOneErrorLine("has no bf16 weights");
    }

    private Map<String, HostTensor> encode(Path pipeline, String name, String... extra) {
        Path out = dir.resolve(name + ".safetensors");
        List<String> args = new ArrayList<>(List.of("encode-prompts", "--pipeline", pipeline.toString(), "--prompt", "a red fox",
                "-o", out.toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        return Safetensors.read(out);
    }

    @Test
    void refusesAPromptsFileItCannotRead() {
        CliRun run = CliRun.of("encode-prompts", "--pipeline", golden().resolve("sd15").toString(),
                "--prompts", dir.resolve("missing.txt").toString(), "-o", dir.resolve("o.safetensors").toString());
        run.assertOneErrorLine("cannot read prompts file");
    }

    @Test
    void refusesAnUnsupportedPipelineClass() throws IOException {
        Path pipe = Files.createDirectories(dir.resolve("kandinsky"));
        Files.writeString(pipe.resolve("model_index.json"), "{\"_class_name\": \"KandinskyV22Pipeline\"}");
        CliRun run = CliRun.of("encode-prompts", "--pipeline", pipe.toString(), "--prompt", "a", "-o", dir.resolve("o").toString());
        run.assertOneErrorLine("pipeline class 'KandinskyV22Pipeline' is not supported");
    }

    @Test
    void refusesAMissingComponentByName() throws IOException {
        Path pipe = sd15With("tokenizer");
        CliRun run = CliRun.of("encode-prompts", "--pipeline", pipe.toString(), "--prompt", "a", "-o", dir.resolve("o").toString());
        run.assertOneErrorLine("lacks its component folder text_encoder/");
    }

    @Test
    void refusesAMalformedTokenizerFile() throws IOException {
        Path pipe = sd15With("text_encoder");
        Path tokenizer = Files.createDirectories(pipe.resolve("tokenizer"));
        Files.writeString(tokenizer.resolve("vocab.json"), "{\"a\": 0}");
        Files.writeString(tokenizer.resolve("merges.txt"), "#version: 0.2\na b c\n");
        CliRun run = CliRun.of("encode-prompts", "--pipeline", pipe.toString(), "--prompt", "a", "-o", dir.resolve("o").toString());
        run.assertOneErrorLine("merges.txt line 2 is not two symbols");
    }

    @Test
    void refusesAnOutputThatIsAFolderAndATextLengthForCLIP() throws IOException {
        Path sd15 = golden().resolve("sd15");
        CliRun folderOut = CliRun.of("encode-prompts", "--pipeline", sd15.toString(), "--prompt", "a", "-o", dir.toString());
        folderOut.assertOneErrorLine("is a folder, not a regular file");
        CliRun t5Length = CliRun.of("encode-prompts", "--pipeline", sd15.toString(), "--prompt", "a",
                "--max-sequence-length", "100", "-o", dir.resolve("o").toString());
        t5Length.assertOneErrorLine("has no T5 encoder");
        CliRun both = CliRun.of("encode-prompts", "--pipeline", sd15.toString(), "--prompt", "a", "--prompts", "p.txt",
                "-o", dir.resolve("o").toString());
        assertEquals(Main.EXIT_USER_ERROR, both.exitCode());
        assertTrue(both.err().startsWith("error: "), both.err());
        assertFalse(Files.exists(dir.resolve("o")), "nothing written");
    }
}
