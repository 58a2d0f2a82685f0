package org.attnbench.text.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.attnbench.core.UserError;

/**
 * T5's SentencePiece tokenizer as transformers' {@code T5Tokenizer} / {@code T5TokenizerFast} call
 * it for a pipeline: the text's pieces, the end token ({@code </s>}, 1) appended, the first
 * {@code max_length − 1} pieces kept so the end token always stays, padded with {@code <pad>} (0),
 * the attention mask 1 on the pieces and the end token. The pieces come from a maintained library:
 * Hugging Face's tokenizers for {@code tokenizer.json} (what T5TokenizerFast loads), Google's
 * SentencePiece for {@code spiece.model} (what T5Tokenizer loads); each class takes its own file
 * first and the other when its own is missing, as transformers converts one into the other.
 */
public final class T5Tokenizer implements PromptTokenizer {
    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String SPIECE = "spiece.model";

    private final T5Pieces pieces;
    private final long eos;
    private final long pad;
    private final int modelMaxLength;

    private T5Tokenizer(T5Pieces pieces, TokenizerConfig config) {
        this.pieces = pieces;
        this.eos = pieces.id(config.token("eos_token", "</s>"));
        this.pad = pieces.id(config.token("pad_token", "<pad>"));
        this.modelMaxLength = config.integer("model_max_length", 512);
    }

    /** The tokenizer of a folder; {@code fast} (T5TokenizerFast) prefers tokenizer.json, otherwise spiece.model comes first. */
    public static T5Tokenizer open(Path folder, boolean fast) {
        boolean hasJson = Files.exists(folder.resolve(TOKENIZER_JSON));
        boolean hasModel = Files.exists(folder.resolve(SPIECE));
        if (!hasJson && !hasModel) {
            throw new UserError("T5 tokenizer folder " + folder + " has neither " + SPIECE + " nor " + TOKENIZER_JSON);
        }
        return fast && hasJson || !hasModel ? open(folder, Source.TOKENIZER_JSON) : open(folder, Source.SPIECE);
    }

    /** Which file the pieces come from (tests hold both to the same ids). */
    public enum Source { TOKENIZER_JSON, SPIECE }

    public static T5Tokenizer open(Path folder, Source source) {
        TokenizerConfig config = TokenizerConfig.read(folder);
        T5Pieces pieces = source == Source.TOKENIZER_JSON ? HuggingFacePieces.open(folder.resolve(TOKENIZER_JSON))
                : SentencePieces.open(folder.resolve(SPIECE), config);
        try {
            return new T5Tokenizer(pieces, config);
        } catch (RuntimeException e) {
            pieces.close();
            throw e;
        }
    }

    @Override
    public int modelMaxLength() {
        return modelMaxLength;
    }

    @Override
    public TokenBatch encode(List<String> prompts, int maxLength) {
        if (maxLength < 1) throw new UserError("a T5 prompt length must be at least 1 (the end token), got " + maxLength);
        long[][] ids = new long[prompts.size()][maxLength];
        long[][] mask = new long[prompts.size()][maxLength];
        List<String> truncated = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            long[] text = pieces.encode(prompts.get(p));
            int kept = Math.min(text.length, maxLength - 1);
            System.arraycopy(text, 0, ids[p], 0, kept);
            ids[p][kept] = eos;
            Arrays.fill(ids[p], kept + 1, maxLength, pad);
            Arrays.fill(mask[p], 0, kept + 1, 1);
            truncated.add(kept == text.length ? "" : pieces.decode(Arrays.copyOfRange(text, kept, text.length)));
        }
        return new TokenBatch(ids, mask, truncated);
    }

    @Override
    public void close() {
        pieces.close();
    }
}
