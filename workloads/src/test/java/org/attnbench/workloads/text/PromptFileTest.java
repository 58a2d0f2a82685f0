package org.attnbench.workloads.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptFileTest {
    @TempDir
    Path dir;

    @Test
    void readsOnePromptPerLine() throws IOException {
        Path file = Files.writeString(dir.resolve("p.txt"), "a cat\n\n  Crème brûlée!  \nlast\n");
        assertEquals(List.of("a cat", "", "  Crème brûlée!  ", "last"), PromptFile.read(file),
                "an empty line is a prompt; a trailing newline ends the last line; spaces are kept");
        Files.writeString(file, "\uFEFFone\r\ntwo");
        assertEquals(List.of("one", "two"), PromptFile.read(file), "a byte-order mark and CRLF line ends are not text");
    }

    @Test
    void refusesWhatIsNotAPromptFile() throws IOException {
        UserError missing = assertThrows(UserError.class, () -> PromptFile.read(dir.resolve("none.txt")));
        assertTrue(missing.getMessage().startsWith("cannot read prompts file"), missing.getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'r', (byte) 0xE8, 'm', 'e', '\n'});
        assertTrue(assertThrows(UserError.class, () -> PromptFile.read(latin1)).getMessage().contains("is not UTF-8 text"));
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        assertTrue(assertThrows(UserError.class, () -> PromptFile.read(empty)).getMessage().contains("holds no prompts"));
        assertThrows(UserError.class, () -> PromptFile.read(dir), "a folder is no prompts file");
    }
}
