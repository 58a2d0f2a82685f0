package org.attnbench.text.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The runs of {@code shared/golden/text} (diffusers' encode_prompt on small pipeline folders),
 * found as the harness's golden test finds {@code shared/golden}: beside the checkout, or under
 * {@code -Dattnbench.golden=DIR}. Without them a test is skipped, and fails under CI.
 */
record TextGolden(Path dir, JsonObject run) {
    static Path folder() {
        String override = System.getProperty("attnbench.golden");
        Path golden;
        if (override != null) {
            golden = Path.of(override);
        } else {
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            while (dir.getParent() != null && Files.exists(dir.getParent().resolve("pom.xml"))) dir = dir.getParent();
            golden = dir.resolveSibling("shared").resolve("golden");
        }
        Path text = golden.resolve("text");
        if (!Files.isDirectory(text)) {
            String message = "text golden runs not found at " + text + ": they live in shared/golden/text beside the checkout";
            if (System.getenv("CI") != null) fail(message);
            Assumptions.abort(message);
        }
        return text;
    }

    static List<TextGolden> runs() {
        Path folder = folder();
        try (Stream<Path> dirs = Files.list(folder)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("run-")).sorted()
                    .map(d -> new TextGolden(d, read(d.resolve("run.json")))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject read(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return dir.getFileName().toString();
    }

    Path pipeline() {
        return dir.getParent().resolve(run.getAsJsonObject("run").get("pipeline").getAsString());
    }

    String pipelineClass() {
        return run.get("pipeline_class").getAsString();
    }

    List<String> prompts() {
        return run.getAsJsonArray("prompts").asList().stream().map(JsonElement::getAsString).toList();
    }

    Path expected() {
        return dir.resolve("expected.safetensors");
    }
}
