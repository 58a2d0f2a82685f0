package org.attnbench.store;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.core.UserError;

/**
 * A run's prompts encoded once by one pipeline's text encoders, kept in the run folder under
 * {@code prompts/KEY/} ({@value #FILE} beside one safetensors file per prompt, in encode-prompts'
 * layout with P = 1), where KEY is a hash of the pipeline's text components, its weights variant,
 * the negative prompt and the T5 length: a resumed run, or a later cell, reuses the files. Its
 * sessions record each time prompts were encoded (how many, how long, the peak resident memory of
 * the process that did it), apart from any cell's step times.
 *
 * @param pipeline the pipeline folder
 * @param pipelineClass its diffusers class
 * @param variant its weights variant, or null
 * @param negativePrompt the negative prompt of every prompt, or null (the pipeline's default)
 * @param maxSequenceLength the T5 length asked for, or null (the pipeline's)
 * @param promptSet the prompt set's name
 * @param imagesPerPrompt images sampled from each prompt
 * @param seed the noise seed of each prompt's first image (image k of a prompt starts from seed + k)
 * @param prompts the prompts in the set's order, each with its file in this folder
 * @param sessions every encoding of this run, in order
 */
public record PromptEncoding(String pipeline, String pipelineClass, String variant, String negativePrompt,
        Integer maxSequenceLength, String promptSet, int imagesPerPrompt, long seed, List<Entry> prompts, List<Session> sessions) {
    public static final String FOLDER = "prompts";
    public static final String FILE = "encoding.json";

    public PromptEncoding {
        prompts = List.copyOf(prompts);
        sessions = List.copyOf(sessions);
    }

    /** One prompt and its file (relative to the encoding's folder). */
    public record Entry(String prompt, String file) {}

    /**
     * One encoding: {@code encoded} prompts not yet cached, in {@code seconds} (the text encoders'
     * loading included), by a process whose peak resident memory was {@code peakRssMb}, on {@code backend}.
     */
    public record Session(String startedAt, int encoded, double seconds, double peakRssMb, String backend) {}

    /** The same with one more session. */
    public PromptEncoding withSession(Session s) {
        List<Session> all = new ArrayList<>(sessions);
        all.add(s);
        return new PromptEncoding(pipeline, pipelineClass, variant, negativePrompt, maxSequenceLength, promptSet,
                imagesPerPrompt, seed, prompts, all);
    }

    /** The prompt image {@code j} is sampled from (image j is image j % imagesPerPrompt of prompt j / imagesPerPrompt). */
    public String promptOf(int image) {
        return prompts.get(image / imagesPerPrompt).prompt();
    }

    /** The noise seed of image {@code j}. */
    public long seedOf(int image) {
        return seed + image % imagesPerPrompt;
    }

    /** Images sampled from the whole set. */
    public int images() {
        return prompts.size() * imagesPerPrompt;
    }

    /** Writes {@value #FILE} into {@code folder}, its schema version first (schemas/prompt-encoding.schema.json). */
    public void write(Path folder) {
        AtomicFiles.writeString(folder.resolve(FILE), StoreJson.write(StoreJson.PRETTY, this) + "\n");
    }

    public static PromptEncoding read(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            PromptEncoding e = StoreJson.read(Files.readString(file), PromptEncoding.class);
            if (e == null || e.prompts() == null) throw new JsonParseException("empty");
            return e;
        } catch (NoSuchFileException e) {
            throw new UserError("no encoded prompts at " + folder + " (" + FILE + " is missing)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JsonParseException e) {
            throw new UserError(file + " is not a valid prompt encoding record: " + e.getMessage());
        }
    }

    /** Every encoding a run folder holds, by folder name. */
    public static List<PromptEncoding> all(Path runDir) {
        Path root = runDir.resolve(FOLDER);
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(FILE))).sorted().map(PromptEncoding::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
