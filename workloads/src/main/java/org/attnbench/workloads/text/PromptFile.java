package org.attnbench.workloads.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.attnbench.core.UserError;

/** A prompts file: UTF-8, one prompt per line; a trailing newline ends the last line, an empty line is the prompt "". */
public final class PromptFile {
    private PromptFile() {}

    public static List<String> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read prompts file " + file + ": " + e.getMessage());
        }
        String text = decode(bytes, file);
        if (text.isEmpty()) throw new UserError("prompts file " + file + " holds no prompts: write one per line");
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        List<String> prompts = new ArrayList<>();
        for (String line : text.split("\n", -1)) prompts.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        return prompts;
    }

    /** A prompts file's text: strict UTF-8, a leading byte-order mark dropped. */
    static String decode(byte[] bytes, Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserError("prompts file " + file + " is not UTF-8 text: save it as UTF-8");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte-order mark is no part of the first prompt
    }
}
