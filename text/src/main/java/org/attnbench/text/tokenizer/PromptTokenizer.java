package org.attnbench.text.tokenizer;

import java.util.List;

/**
 * Prompts to token ids as a pipeline's tokenizer call gives them with {@code padding="max_length",
 * truncation=True}: the model's special tokens added, cut to the length, padded with the pad id.
 */
public interface PromptTokenizer extends AutoCloseable {
    /** {@code model_max_length} of tokenizer_config.json (CLIP's 77). */
    int modelMaxLength();

    /** Every prompt as exactly {@code maxLength} ids, with its attention mask and what truncation cut off. */
    TokenBatch encode(List<String> prompts, int maxLength);

    @Override
    void close();
}
