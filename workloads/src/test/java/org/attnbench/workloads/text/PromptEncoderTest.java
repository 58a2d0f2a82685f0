package org.attnbench.workloads.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.core.UserError;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.tensor.HostTensor;
import org.attnbench.text.tokenizer.PromptTokenizer;
import org.attnbench.text.tokenizer.Tokenizers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each pipeline's prompt rules assembled from fake text encoders whose outputs say which encoder,
 * which output, which prompt and which token they came from, on the golden pipeline folders' real
 * tokenizers: what goes where, what is padded, what is zero, which encoder gets a mask, and that
 * each encoder is closed before the next opens.
 */
class PromptEncoderTest {
    private static final List<String> PROMPTS = List.of("A Red Fox!", "   Two  CATS   ");

    @TempDir
    Path tmp;
    /** Links into the golden folder, removed after each test (JUnit would warn of each it deletes). */
    private final List<Path> links = new ArrayList<>();

    @AfterEach
    void removeLinks() throws IOException {
        for (Path link : links) Files.deleteIfExists(link);
    }

    private void link(Path link, Path target) throws IOException {
        links.add(Files.createSymbolicLink(link, target));
    }

    /** Fake encoders: widths by component, CLIP or T5 by the folder's class; every call recorded. */
    private static final class FakeEncoders implements TextEncoders {
        final PipelineFolder folder;
        final Map<String, Integer> widths;
        final List<String> events = new ArrayList<>();
        final List<long[][]> masks = new ArrayList<>();
        String open;

        FakeEncoders(PipelineFolder folder, Map<String, Integer> widths) {
            this.folder = folder;
            this.widths = widths;
        }

        @Override
        public Session open(String name) {
            assertNull(open, "opened " + name + " while " + open + " is open");
            open = name;
            events.add("open " + name);
            int width = widths.get(name);
            int code = 1 + folder.textEncoders().indexOf(name);
            boolean t5 = folder.componentClass(name).equals("T5EncoderModel");
            boolean projection = folder.componentClass(name).equals("CLIPTextModelWithProjection");
            return new Session() {
                @Override
                public Map<String, HostTensor> encode(long[][] ids, long[][] mask) {
                    assertEquals(1, ids.length, "each prompt runs alone");
                    events.add("encode " + name);
                    masks.add(mask);
                    Map<String, HostTensor> out = new LinkedHashMap<>();
                    out.put("last_hidden_state", states(ids, width, code, 1));
                    if (!t5) {
                        out.put("penultimate_hidden_state", states(ids, width, code, 2));
                        out.put("pooler_output", pooled(ids, width, code, 3));
                        if (projection) out.put("text_embeds", pooled(ids, width + 1, code, 4));
                    }
                    return out;
                }

                @Override
                public void close() {
                    events.add("close " + name);
                    open = null;
                }
            };
        }
    }

    /** value = encoder * 1e6 + output * 1e5 + token id, + feature / 100: every number says where it came from. */
    private static HostTensor states(long[][] ids, int width, int encoder, int output) {
        int p = ids.length;
        int l = ids[0].length;
        float[] v = new float[p * l * width];
        for (int i = 0; i < p; i++) {
            for (int t = 0; t < l; t++) {
                for (int d = 0; d < width; d++) v[(i * l + t) * width + d] = encoder * 1e6f + output * 1e5f + ids[i][t] + d / 100f;
            }
        }
        return HostTensor.of(v, p, l, width);
    }

    private static HostTensor pooled(long[][] ids, int width, int encoder, int output) {
        float[] v = new float[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            for (int d = 0; d < width; d++) v[i * width + d] = encoder * 1e6f + output * 1e5f + ids[i][1] + d / 100f;
        }
        return HostTensor.of(v, ids.length, width);
    }

    private static PipelineFolder golden(String name) {
        return PipelineFolder.open(TextGoldens.folder().resolve(name));
    }

    private static long[][] ids(PipelineFolder folder, String tokenizer, List<String> prompts, int length) {
        try (PromptTokenizer t = Tokenizers.open(folder.component(tokenizer), folder.componentClass(tokenizer))) {
            return t.encode(prompts, length).ids();
        }
    }

    private static float at(HostTensor t, int... index) {
        long[] shape = t.shape();
        int flat = 0;
        for (int i = 0; i < index.length; i++) flat = flat * (int) shape[i] + index[i];
        return t.toFloats()[flat];
    }

    @Test
    void stableDiffusionTakesTheLastHiddenStateAndEncodesTheEmptyNegative() {
        PipelineFolder folder = golden("sd15");
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 4));
        Map<String, HostTensor> out = PromptEncoder.of(folder, fake, null, w -> {}).encode(PROMPTS, null);
        assertEquals(List.of("prompt_embeds", "negative_prompt_embeds", "input_ids"), List.copyOf(out.keySet()));
        long[][] ids = ids(folder, "tokenizer", PROMPTS, 77);
        assertArrayEquals(Arrays.stream(ids).flatMapToLong(Arrays::stream).toArray(), out.get("input_ids").toLongs());
        assertArrayEquals(new long[] {2, 77, 4}, out.get("prompt_embeds").shape());
        assertEquals(1e6f + 1e5f + ids[1][2] + 0.03f, at(out.get("prompt_embeds"), 1, 2, 3), 0.5f);
        long[][] empty = ids(folder, "tokenizer", List.of(""), 77);
        assertEquals(1e6f + 1e5f + empty[0][1], at(out.get("negative_prompt_embeds"), 0, 1, 0), 0.5f, "negative_prompt=None is \"\"");
        assertEquals(List.of("open text_encoder", "encode text_encoder", "encode text_encoder", "encode text_encoder",
                "close text_encoder"), fake.events, "each prompt, then the negative once for both");
        assertTrue(fake.masks.stream().allMatch(m -> m == null), "CLIP runs without a mask");
    }

    @Test
    void sdxlJoinsBothPenultimateStatesPoolsTheSecondAndZeroesAnAbsentNegative() {
        PipelineFolder folder = golden("sdxl");
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 3, "text_encoder_2", 5));
        Map<String, HostTensor> out = PromptEncoder.of(folder, fake, null, w -> {}).encode(PROMPTS, null);
        HostTensor prompt = out.get("prompt_embeds");
        assertArrayEquals(new long[] {2, 77, 8}, prompt.shape());
        long[][] ids1 = ids(folder, "tokenizer", PROMPTS, 77);
        long[][] ids2 = ids(folder, "tokenizer_2", PROMPTS, 77);
        assertEquals(1e6f + 2e5f + ids1[0][3] + 0.02f, at(prompt, 0, 3, 2), 0.5f, "the first encoder's penultimate state");
        assertEquals(2e6f + 2e5f + ids2[0][3] + 0.04f, at(prompt, 0, 3, 7), 0.5f, "then the second's");
        assertArrayEquals(new long[] {2, 6}, out.get("pooled_prompt_embeds").shape());
        assertEquals(2e6f + 4e5f + ids2[1][1], at(out.get("pooled_prompt_embeds"), 1, 0), 0.5f, "pooled: the second's text_embeds");
        for (String zero : List.of("negative_prompt_embeds", "negative_pooled_prompt_embeds")) {
            HostTensor t = out.get(zero);
            assertArrayEquals(out.get(zero.replace("negative_", "")).shape(), t.shape());
            for (float v : t.toFloats()) assertEquals(0f, v, zero + " is zeros");
        }
        assertEquals(List.of("open text_encoder", "encode text_encoder", "encode text_encoder", "close text_encoder",
                "open text_encoder_2", "encode text_encoder_2", "encode text_encoder_2", "close text_encoder_2"), fake.events,
                "no negative is encoded");
        assertEquals(List.of("prompt_embeds", "negative_prompt_embeds", "pooled_prompt_embeds", "negative_pooled_prompt_embeds",
                "input_ids", "input_ids_2"), List.copyOf(out.keySet()));

        FakeEncoders explicit = new FakeEncoders(folder, Map.of("text_encoder", 3, "text_encoder_2", 5));
        Map<String, HostTensor> empty = PromptEncoder.of(folder, explicit, null, w -> {}).encode(PROMPTS, "");
        assertNotEquals(0f, at(empty.get("negative_prompt_embeds"), 0, 0, 0), "a negative given, even \"\", is encoded");
        assertNotEquals(0f, at(empty.get("negative_pooled_prompt_embeds"), 0, 0));
    }

    @Test
    void sdxlWithoutForceZerosEncodesTheEmptyNegative() throws IOException {
        Path golden = TextGoldens.folder().resolve("sdxl");
        Path copy = Files.createDirectories(tmp.resolve("sdxl"));
        Files.writeString(copy.resolve("model_index.json"), Files.readString(golden.resolve("model_index.json"))
                .replace("\"force_zeros_for_empty_prompt\": true", "\"force_zeros_for_empty_prompt\": false"));
        try (Stream<Path> parts = Files.list(golden)) {
            for (Path part : parts.filter(Files::isDirectory).toList()) link(copy.resolve(part.getFileName()), part);
        }
        PipelineFolder folder = PipelineFolder.open(copy);
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 3, "text_encoder_2", 5));
        Map<String, HostTensor> out = PromptEncoder.of(folder, fake, null, w -> {}).encode(PROMPTS, null);
        long[][] empty = ids(folder, "tokenizer_2", List.of(""), 77);
        assertEquals(2e6f + 4e5f + empty[0][1], at(out.get("negative_pooled_prompt_embeds"), 0, 0), 0.5f);
    }

    @Test
    void sd3PadsTheClipStatesToT5sWidthAndAppendsT5sUnmasked() {
        PipelineFolder folder = golden("sd3");
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 3, "text_encoder_2", 4, "text_encoder_3", 10));
        List<String> warnings = new ArrayList<>();
        Map<String, HostTensor> out = PromptEncoder.of(folder, fake, 12, warnings::add).encode(PROMPTS, "blurry");
        HostTensor prompt = out.get("prompt_embeds");
        assertArrayEquals(new long[] {2, 77 + 12, 10}, prompt.shape());
        long[][] ids3 = ids(folder, "tokenizer_3", PROMPTS, 12);
        assertEquals(1e6f + 2e5f + ids(folder, "tokenizer", PROMPTS, 77)[1][5] + 0.01f, at(prompt, 1, 5, 1), 0.5f);
        assertEquals(2e6f + 2e5f + ids(folder, "tokenizer_2", PROMPTS, 77)[1][5] + 0.03f, at(prompt, 1, 5, 6), 0.5f);
        assertEquals(0f, at(prompt, 1, 5, 7), "zero-padded to T5's width");
        assertEquals(0f, at(prompt, 1, 5, 9));
        assertEquals(3e6f + 1e5f + ids3[1][4] + 0.09f, at(prompt, 1, 77 + 4, 9), 0.5f, "T5's states after CLIP's 77");
        assertArrayEquals(new long[] {2, 4 + 5}, out.get("pooled_prompt_embeds").shape(), "both CLIPs' text_embeds side by side");
        assertEquals(2e6f + 4e5f, at(out.get("pooled_prompt_embeds"), 0, 4), 1e5f);
        assertArrayEquals(new long[] {2, 12}, out.get("input_ids_3").shape());
        assertTrue(fake.masks.stream().allMatch(m -> m == null), "SD3 runs T5 without its mask");
        assertEquals(3 * 5, fake.events.size(), "open, two prompts and the negative once, close per encoder");
    }

    @Test
    void fluxTakesT5sStatesAndClipsPooledOutput() {
        PipelineFolder folder = golden("flux");
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 3, "text_encoder_2", 6));
        Map<String, HostTensor> out = PromptEncoder.of(folder, fake, null, w -> {}).encode(PROMPTS, null);
        assertArrayEquals(new long[] {2, 512, 6}, out.get("prompt_embeds").shape(), "Flux's default T5 length");
        assertEquals(2e6f + 1e5f, at(out.get("prompt_embeds"), 0, 0, 0), 1e5f);
        assertArrayEquals(new long[] {2, 3}, out.get("pooled_prompt_embeds").shape());
        assertEquals(1e6f + 3e5f, at(out.get("pooled_prompt_embeds"), 1, 0), 1e5f, "pooled: CLIP's pooler_output");
        assertTrue(fake.masks.stream().allMatch(m -> m == null), "Flux runs T5 without its mask");
    }

    @Test
    void pixArtLowerCasesStripsAndMasksItsPrompts() {
        PipelineFolder folder = golden("pixart-sigma");
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 7));
        Map<String, HostTensor> out = PromptEncoder.of(folder, fake, null, w -> {}).encode(PROMPTS, "  Ugly ");
        long[][] lowered = ids(folder, "tokenizer", List.of("a red fox!", "two  cats"), 300);
        assertArrayEquals(Arrays.stream(lowered).flatMapToLong(Arrays::stream).toArray(), out.get("input_ids").toLongs());
        assertEquals(List.of("prompt_embeds", "prompt_attention_mask", "negative_prompt_embeds", "negative_prompt_attention_mask",
                "input_ids"), List.copyOf(out.keySet()));
        assertTrue(fake.masks.stream().allMatch(m -> m != null), "PixArt runs T5 with its mask");
        assertArrayEquals(fake.masks.subList(0, 2).stream().flatMap(Arrays::stream).flatMapToLong(Arrays::stream).toArray(),
                out.get("prompt_attention_mask").toLongs());
        long[] negative = out.get("negative_prompt_attention_mask").toLongs();
        long[][] ugly = ids(folder, "tokenizer", List.of("ugly"), 300);
        long tokens = Arrays.stream(ugly[0]).filter(id -> id != 0).count();
        assertEquals(tokens, Arrays.stream(negative, 0, 300).sum(), "the negative's mask covers its pieces and the end token");
    }

    @Test
    void warnsInOneLineOfWhatALongPromptLost() {
        PipelineFolder folder = golden("sd15");
        List<String> warnings = new ArrayList<>();
        String lengthy = "a very long prompt about a lighthouse on a cliff at dawn ".repeat(12);
        PromptEncoder.of(folder, new FakeEncoders(folder, Map.of("text_encoder", 2)), null, warnings::add)
                .encode(List.of("short", lengthy), null);
        assertEquals(1, warnings.size(), String.valueOf(warnings));
        assertTrue(warnings.get(0).startsWith("warning: prompt 2 is longer than 77 tokens of tokenizer; this part was cut: "),
                warnings.get(0));
        assertTrue(!warnings.get(0).contains("\n") && warnings.get(0).contains("lighthouse"), warnings.get(0));
    }

    @Test
    void refusesAT5LengthForACLIPOnlyPipelineAndBadTokenizersBeforeAnyEncoderRuns() throws IOException {
        PipelineFolder sd15 = golden("sd15");
        UserError length = assertThrows(UserError.class,
                () -> PromptEncoder.of(sd15, new FakeEncoders(sd15, Map.of("text_encoder", 2)), 77, w -> {}));
        assertTrue(length.getMessage().contains("has no T5 encoder"), length.getMessage());

        Path golden = TextGoldens.folder().resolve("sdxl");
        Path copy = Files.createDirectories(tmp.resolve("broken"));
        Files.copy(golden.resolve("model_index.json"), copy.resolve("model_index.json"));
        for (String part : List.of("text_encoder", "text_encoder_2", "tokenizer")) {
            link(copy.resolve(part), golden.resolve(part));
        }
        Path tokenizer2 = Files.createDirectories(copy.resolve("tokenizer_2"));
        Files.writeString(tokenizer2.resolve("vocab.json"), "{\"a\": ");
        Files.writeString(tokenizer2.resolve("merges.txt"), "#version: 0.2\n");
        PipelineFolder folder = PipelineFolder.open(copy);
        FakeEncoders fake = new FakeEncoders(folder, Map.of("text_encoder", 3, "text_encoder_2", 5));
        UserError bad = assertThrows(UserError.class, () -> PromptEncoder.of(folder, fake, null, w -> {}).encode(PROMPTS, null));
        assertTrue(bad.getMessage().contains("tokenizer_2") && bad.getMessage().contains("is not valid JSON"), bad.getMessage());
        assertEquals(List.of(), fake.events, "no encoder ran");
    }
}
