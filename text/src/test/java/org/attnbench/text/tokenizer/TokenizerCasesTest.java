package org.attnbench.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Cases beyond the golden runs (Unicode, long prompts, special tokens written in the text, empty and
 * whitespace-only prompts, {@code !} with either pad token, T5's truncation) with ids made by real
 * transformers ({@code tokenizer-cases/make_tokenizer_cases.py}, its output beside it), on the golden
 * tokenizer folders. CLIP follows transformers 4's Python CLIPTokenizer except where ftfy would
 * change the text beyond NFC (curly quotes, ligatures, full-width forms): there it gives what
 * transformers 5's CLIPTokenizer and the fast one give, as it applies NFC only.
 */
class TokenizerCasesTest {
    private static final String WITHOUT_FTFY = "transformers 5.18.0 CLIPTokenizer";
    /** One tokenizer per folder and source, shared by its cases (reading CLIP's vocabulary is the slow part). */
    private static final Map<String, PromptTokenizer> OPEN = new HashMap<>();

    @AfterAll
    static void closeTokenizers() {
        OPEN.values().forEach(PromptTokenizer::close);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGivesTransformersIds() {
        Path golden = TextGolden.folder();
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (JsonElement e : cases()) {
            JsonObject c = e.getAsJsonObject();
            String folder = c.get("tokenizer").getAsString();
            String cls = c.get("class").getAsString();
            Path dir = golden.resolve(folder);
            String name = "case " + index++ + " " + folder + " '" + abbreviate(c.get("prompt").getAsString()) + "'";
            if (cls.startsWith("T5")) {
                for (T5Tokenizer.Source source : T5Tokenizer.Source.values()) {
                    String file = source == T5Tokenizer.Source.SPIECE ? T5Tokenizer.SPIECE : T5Tokenizer.TOKENIZER_JSON;
                    if (Files.exists(dir.resolve(file))) {
                        tests.add(dynamicTest(name + " from " + file,
                                () -> check(c, OPEN.computeIfAbsent(folder + source, k -> T5Tokenizer.open(dir, source)))));
                    }
                }
            } else {
                tests.add(dynamicTest(name, () -> check(c, OPEN.computeIfAbsent(folder, k -> Tokenizers.open(dir, cls)))));
            }
        }
        return tests.stream();
    }

    private static void check(JsonObject c, PromptTokenizer tokenizer) {
        String prompt = c.get("prompt").getAsString();
        int length = c.get("max_length").getAsInt();
        boolean ftfy = c.get("ftfy_changes").getAsBoolean() && c.get("class").getAsString().startsWith("CLIP");
        long[] expected = longs(ftfy ? c.getAsJsonObject("by").getAsJsonArray(WITHOUT_FTFY) : c.getAsJsonArray("ids"));
        TokenBatch batch = tokenizer.encode(List.of(prompt), length);
        assertArrayEquals(expected, batch.ids()[0], "ids of '" + prompt + "'");
        if (!ftfy) assertArrayEquals(longs(c.getAsJsonArray("mask")), batch.mask()[0], "mask of '" + prompt + "'");
        assertEquals(1, batch.size());
    }

    @Test
    void theCasesCoverWhatTheyClaim() {
        List<JsonObject> all = cases().asList().stream().map(JsonElement::getAsJsonObject).toList();
        assertTrue(all.stream().anyMatch(c -> c.get("tokenizer").getAsString().equals("sd2/tokenizer")
                && c.get("prompt").getAsString().equals("!") && longs(c.getAsJsonArray("ids"))[1] == 0), "! is id 0 with pad !");
        assertTrue(all.stream().anyMatch(c -> c.get("tokenizer").getAsString().equals("sd15/tokenizer")
                && c.get("prompt").getAsString().equals("!") && longs(c.getAsJsonArray("ids"))[1] == 256), "! is BPE's !</w> otherwise");
        assertTrue(all.stream().anyMatch(c -> !c.get("agree").getAsBoolean()), "cases where the libraries disagree are kept");
        assertFalse(all.isEmpty());
    }

    private static JsonArray cases() {
        try (InputStream in = TokenizerCasesTest.class.getResourceAsStream("/tokenizer-cases/tokenizer_cases.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long[] longs(JsonArray a) {
        return a.asList().stream().mapToLong(JsonElement::getAsLong).toArray();
    }

    private static String abbreviate(String prompt) {
        String oneLine = prompt.replace("\n", "\\n").replace("\t", "\\t");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine;
    }
}
