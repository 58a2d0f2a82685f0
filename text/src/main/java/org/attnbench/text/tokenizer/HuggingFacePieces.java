package org.attnbench.text.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.pipeline.LinkStandIn;

/**
 * Pieces from a {@code tokenizer.json} through Hugging Face's tokenizers (DJL's binding, natives in
 * its jar): the file's own normalizer, pre-tokenizer, model and added tokens. The library's
 * truncation, padding and special tokens are off; {@link T5Tokenizer} frames the pieces itself.
 */
final class HuggingFacePieces implements T5Pieces {
    private final Path file;
    private final HuggingFaceTokenizer tokenizer;

    private HuggingFacePieces(Path file, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.tokenizer = tokenizer;
    }

    static HuggingFacePieces open(Path file) {
        DjlOffline.ensure();
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try {
            return new HuggingFacePieces(file, HuggingFaceTokenizer.newInstance(LinkStandIn.resolve(file), options));
        } catch (IOException e) {
            throw new UserError("cannot read tokenizer " + file + ": " + e.getMessage());
        } catch (RuntimeException e) { // the library's parse error
            throw new UserError("tokenizer " + file + " is not a valid tokenizer.json: " + e.getMessage());
        }
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public long id(String token) {
        long[] ids = encode(token);
        if (ids.length != 1) throw new UserError("tokenizer " + file + " has no token '" + token + "' of its own");
        return ids[0];
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
