package org.attnbench.text.tokenizer;

import java.util.Arrays;
import java.util.List;
import org.attnbench.tensor.HostTensor;

/**
 * A batch of tokenized prompts: ids and attention mask [P, L] (1 on the model's tokens, special ones
 * included, 0 on padding), and for each prompt the text truncation cut off (empty when none was).
 */
public record TokenBatch(long[][] ids, long[][] mask, List<String> truncated) {

    public int size() {
        return ids.length;
    }

    public int length() {
        return ids.length == 0 ? 0 : ids[0].length;
    }

    /** The ids as an int64 tensor [P, L]. */
    public HostTensor idsTensor() {
        return flatten(ids);
    }

    /** The attention mask as an int64 tensor [P, L]. */
    public HostTensor maskTensor() {
        return flatten(mask);
    }

    private HostTensor flatten(long[][] rows) {
        long[] flat = Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
        return HostTensor.of(flat, rows.length, length());
    }
}
