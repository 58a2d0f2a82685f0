package org.attnbench.text.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed tokenizer file is one user error naming the file, from either library or our own reader. */
class MalformedTokenizerTest {
    @TempDir
    Path dir;

    private Path t5Folder() throws IOException {
        Path golden = TextGolden.folder().resolve("pixart-sigma/tokenizer");
        Files.copy(golden.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        return dir;
    }

    @Test
    void aSpieceModelThatIsNotOne() throws IOException {
        Files.writeString(t5Folder().resolve("spiece.model"), "this is not a protobuf at all, just some text\n");
        UserError e = assertThrows(UserError.class, () -> Tokenizers.open(dir, "T5Tokenizer"));
        assertTrue(e.getMessage().contains("spiece.model is not a SentencePiece model")
                || e.getMessage().contains("spiece.model holds no pieces"), e.getMessage());
    }

    @Test
    void aTokenizerJsonThatIsNotOne() throws IOException {
        Files.writeString(t5Folder().resolve("tokenizer.json"), "{\"model\": {\"type\": \"Unigram\", \"vocab\": 3}}");
        UserError e = assertThrows(UserError.class, () -> Tokenizers.open(dir, "T5TokenizerFast"));
        assertTrue(e.getMessage().contains("tokenizer.json is not a valid tokenizer.json"), e.getMessage());
    }

    @Test
    void aT5FolderWithNeither() throws IOException {
        Path folder = t5Folder(); // outside the lambda: without the goldens the test is skipped, not failed
        UserError e = assertThrows(UserError.class, () -> Tokenizers.open(folder, "T5TokenizerFast"));
        assertTrue(e.getMessage().contains("has neither spiece.model nor tokenizer.json"), e.getMessage());
    }

    @Test
    void aClipVocabularyOrConfigThatIsNotOne() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": \"zero\"}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        UserError vocab = assertThrows(UserError.class, () -> Tokenizers.open(dir, "CLIPTokenizer"));
        assertTrue(vocab.getMessage().contains("maps 'a' to \"zero\", not to an id"), vocab.getMessage());

        Files.writeString(dir.resolve("vocab.json"), "{\"<|startoftext|>\": 0, \"<|endoftext|>\": 1}");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": 7}");
        UserError config = assertThrows(UserError.class, () -> Tokenizers.open(dir, "CLIPTokenizer"));
        assertTrue(config.getMessage().contains("pad_token in tokenizer_config.json or special_tokens_map.json must be a token"),
                config.getMessage());

        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"!\"}");
        UserError pad = assertThrows(UserError.class, () -> Tokenizers.open(dir, "CLIPTokenizer"));
        assertTrue(pad.getMessage().contains("special token '!' is not in vocab.json"), pad.getMessage());

        UserError cls = assertThrows(UserError.class, () -> Tokenizers.open(dir, "LlamaTokenizer"));
        assertTrue(cls.getMessage().contains("is of class LlamaTokenizer, which attnbench does not load"), cls.getMessage());
    }
}
