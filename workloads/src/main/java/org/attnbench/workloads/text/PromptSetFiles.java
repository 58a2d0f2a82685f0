package org.attnbench.workloads.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.attnbench.core.UserError;

/**
 * Reads a prompt set from a file, its format by its extension:
 * <ul>
 * <li>{@code .json}: COCO captions ({@code captions_val2014.json} and its kin): every
 * {@code annotations[].caption}, in the file's order (COCO lists five or so captions per image, so
 * the first N captions cover about N / 5 images);</li>
 * <li>{@code .tsv}: PartiPrompts' {@code PartiPrompts.tsv}: the column headed {@code Prompt}, one
 * row per prompt;</li>
 * <li>anything else: UTF-8 text, one prompt per line ({@link PromptFile}).</li>
 * </ul>
 * A file that cannot be read or is not of its format is refused in one line naming the file and
 * what is wrong.
 */
public final class PromptSetFiles {
    public static final String PARTI_COLUMN = "Prompt";

    private PromptSetFiles() {}

    /** The prompts of {@code file}, named after it (its name without the extension). */
    public static PromptSet read(Path file) {
        String fileName = file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        if (lower.endsWith(".json")) return new PromptSet(name, coco(file), file + " (COCO captions)");
        if (lower.endsWith(".tsv")) return new PromptSet(name, parti(file), file + " (PartiPrompts TSV)");
        return new PromptSet(name, PromptFile.read(file), file + " (one prompt per line)");
    }

    /** COCO captions JSON: annotations[].caption in file order. */
    static List<String> coco(Path file) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text(file));
        } catch (JsonParseException e) {
            throw new UserError("COCO captions file " + file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        String shape = "a COCO captions file is an object with \"annotations\": [{\"image_id\": ..., \"caption\": \"...\"}, ...]";
        if (!root.isJsonObject() || !root.getAsJsonObject().has("annotations")) {
            throw new UserError(file + " has no \"annotations\": " + shape);
        }
        JsonElement annotations = root.getAsJsonObject().get("annotations");
        if (!annotations.isJsonArray()) throw new UserError(file + ": \"annotations\" is not a list; " + shape);
        JsonArray list = annotations.getAsJsonArray();
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonElement a = list.get(i);
            JsonElement caption = a.isJsonObject() ? ((JsonObject) a).get("caption") : null;
            if (caption == null || !caption.isJsonPrimitive() || !caption.getAsJsonPrimitive().isString()) {
                throw new UserError(file + ": annotations[" + i + "] has no \"caption\" string; " + shape);
            }
            out.add(caption.getAsString());
        }
        if (out.isEmpty()) throw new UserError(file + " holds no captions (\"annotations\" is empty)");
        return out;
    }

    /** PartiPrompts TSV: the Prompt column of every row after the header. */
    static List<String> parti(Path file) {
        List<String> lines = new ArrayList<>(Arrays.asList(text(file).split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        if (lines.isEmpty()) throw new UserError("TSV file " + file + " is empty: it needs a header row with a '" + PARTI_COLUMN + "' column");
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        int column = header.indexOf(PARTI_COLUMN);
        if (column < 0) {
            throw new UserError("TSV file " + file + " has no '" + PARTI_COLUMN + "' column in its header (it has "
                    + String.join(", ", header) + "); PartiPrompts.tsv heads its prompts 'Prompt'");
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split("\t", -1);
            if (fields.length != header.size()) {
                throw new UserError("TSV file " + file + ", line " + (i + 1) + ": " + fields.length + " fields where the header has "
                        + header.size() + " (fields are separated by tabs)");
            }
            out.add(fields[column]);
        }
        if (out.isEmpty()) throw new UserError("TSV file " + file + " holds a header but no prompts");
        return out;
    }

    private static String text(Path file) {
        if (!Files.isRegularFile(file)) throw new UserError("prompts file " + file + " does not exist or is not a file");
        try {
            return PromptFile.decode(Files.readAllBytes(file), file);
        } catch (IOException e) {
            throw new UserError("cannot read prompts file " + file + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
