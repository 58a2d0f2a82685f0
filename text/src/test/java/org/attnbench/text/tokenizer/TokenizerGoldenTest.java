package org.attnbench.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.attnbench.models.pipeline.PipelineFolder;
import org.attnbench.models.pipeline.PipelineKind;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.HostTensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every tokenizer of every golden run gives the run's {@code input_ids*} for its positive prompts
 * (and PixArt's T5 its {@code prompt_attention_mask}); a T5 folder holding both spiece.model and
 * tokenizer.json gives them from each.
 */
class TokenizerGoldenTest {

    @TestFactory
    Stream<DynamicTest> everyRunsIdsFromEveryTokenizer() {
        List<DynamicTest> tests = new ArrayList<>();
        for (TextGolden run : TextGolden.runs()) {
            PipelineFolder folder = PipelineFolder.open(run.pipeline());
            for (String tokenizer : folder.tokenizers()) {
                String cls = folder.componentClass(tokenizer);
                Path dir = folder.component(tokenizer);
                if (cls.startsWith("T5")) {
                    for (T5Tokenizer.Source source : T5Tokenizer.Source.values()) {
                        String file = source == T5Tokenizer.Source.SPIECE ? T5Tokenizer.SPIECE : T5Tokenizer.TOKENIZER_JSON;
                        if (!Files.exists(dir.resolve(file))) continue;
                        tests.add(dynamicTest(run.name() + " " + tokenizer + " from " + file,
                                () -> check(run, folder, tokenizer, T5Tokenizer.open(dir, source))));
                    }
                } else {
                    tests.add(dynamicTest(run.name() + " " + tokenizer, () -> check(run, folder, tokenizer, Tokenizers.open(dir, cls))));
                }
            }
        }
        return tests.stream();
    }

    private static void check(TextGolden run, PipelineFolder folder, String tokenizerName, PromptTokenizer tokenizer) {
        try (tokenizer) {
            Map<String, HostTensor> expected = Safetensors.read(run.expected());
            String name = "input_ids" + tokenizerName.substring("tokenizer".length());
            HostTensor ids = expected.get(name);
            assertNotNull(ids, run.name() + " has no " + name);
            boolean pixart = folder.kind() == PipelineKind.PIXART_SIGMA || folder.kind() == PipelineKind.PIXART_ALPHA;
            List<String> prompts = pixart ? run.prompts().stream().map(p -> p.toLowerCase(Locale.ROOT).strip()).toList()
                    : run.prompts();
            TokenBatch batch = tokenizer.encode(prompts, (int) ids.shape()[1]);
            assertArrayEquals(ids.shape(), batch.idsTensor().shape());
            long[] want = ids.toLongs();
            long[] got = batch.idsTensor().toLongs();
            for (int p = 0; p < prompts.size(); p++) {
                int length = batch.length();
                int row = p;
                assertArrayEquals(java.util.Arrays.copyOfRange(want, p * length, (p + 1) * length),
                        java.util.Arrays.copyOfRange(got, p * length, (p + 1) * length),
                        () -> run.name() + " " + name + " prompt " + row + ": '" + prompts.get(row) + "'");
            }
            HostTensor mask = expected.get("prompt_attention_mask");
            if (pixart) {
                assertArrayEquals(mask.toLongs(), batch.maskTensor().toLongs(), run.name() + " prompt_attention_mask");
            }
            long truncatedCount = batch.truncated().stream().filter(t -> !t.isEmpty()).count();
            assertTrue(truncatedCount <= 1, run.name() + ": only the long prompt is cut, got " + batch.truncated());
            assertEquals(prompts.size(), batch.truncated().size());
        }
    }
}
