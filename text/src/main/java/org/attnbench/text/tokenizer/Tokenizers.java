package org.attnbench.text.tokenizer;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.core.UserError;

/** A pipeline's tokenizer folder opened as the class model_index.json gives it. */
public final class Tokenizers {
    public static final List<String> CLASSES = List.of("CLIPTokenizer", "CLIPTokenizerFast", "T5Tokenizer", "T5TokenizerFast");

    private Tokenizers() {}

    public static PromptTokenizer open(Path folder, String className) {
        return switch (className) {
            case "CLIPTokenizer", "CLIPTokenizerFast" -> ClipTokenizer.open(folder);
            case "T5Tokenizer" -> T5Tokenizer.open(folder, false);
            case "T5TokenizerFast" -> T5Tokenizer.open(folder, true);
            default -> throw new UserError("tokenizer " + folder + " is of class " + className + ", which attnbench does not load ("
                    + String.join(", ", CLASSES) + ")");
        };
    }
}
