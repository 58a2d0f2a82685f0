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

class PromptSetFilesTest {
    @TempDir
    Path dir;

    @Test
    void cocoCaptionsAreEveryAnnotationsCaptionInFileOrder() throws IOException {
        Path file = Files.writeString(dir.resolve("captions_val2014.json"), """
                {"info": {"year": 2014}, "images": [{"id": 9}, {"id": 3}],
                 "annotations": [{"image_id": 9, "id": 2, "caption": "A man riding a wave.\\n"},
                                 {"image_id": 3, "id": 1, "caption": "Two dogs \\u00e9 play."},
                                 {"image_id": 9, "id": 7, "caption": "Surfer at sunset"}]}
                """);
        PromptSet set = PromptSetFiles.read(file);
        assertEquals("captions_val2014", set.name());
        assertEquals(List.of("A man riding a wave.\n", "Two dogs \u00e9 play.", "Surfer at sunset"), set.prompts(),
                "as written: neither sorted by id nor trimmed");
        assertEquals(List.of("A man riding a wave.\n", "Two dogs \u00e9 play."), set.limit(2).prompts());
        assertEquals(set, set.limit(10), "a limit above the count keeps them all");
    }

    @Test
    void partiPromptsAreThePromptColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("PartiPrompts.tsv"),
                "Prompt\tCategory\tChallenge\tNote\nbond\tAbstract\tBasic\t\na red apple\tProduce & Plants\tColors\tnote\n");
        assertEquals(List.of("bond", "a red apple"), PromptSetFiles.read(file).prompts());
        Path moved = Files.writeString(dir.resolve("other.tsv"), "id\tPrompt\n1\tfirst\r\n2\tsecond\r\n");
        assertEquals(List.of("first", "second"), PromptSetFiles.read(moved).prompts(), "found by its header, CRLF too");
    }

    @Test
    void anyOtherFileIsOnePromptPerLine() throws IOException {
        Path file = Files.writeString(dir.resolve("mine.txt"), "a cat\na dog\n");
        PromptSet set = PromptSetFiles.read(file);
        assertEquals(List.of("a cat", "a dog"), set.prompts());
        assertEquals("mine", set.name());
        assertEquals("mine-2", set.named("mine-2").name());
    }

    @Test
    void malformedFilesAreRefusedInOneLine() throws IOException {
        List<String[]> cases = List.of(
                new String[] {"a.json", "{\"annotations\": [", "is not valid JSON"},
                new String[] {"b.json", "[1, 2]", "has no \"annotations\""},
                new String[] {"c.json", "{\"annotations\": {}}", "\"annotations\" is not a list"},
                new String[] {"d.json", "{\"annotations\": [{\"caption\": 3}]}", "annotations[0] has no \"caption\" string"},
                new String[] {"e.json", "{\"annotations\": []}", "holds no captions"},
                new String[] {"f.tsv", "id\tText\n1\tx\n", "has no 'Prompt' column in its header (it has id, Text)"},
                new String[] {"g.tsv", "Prompt\tCategory\na cat\n", "line 2: 1 fields where the header has 2"},
                new String[] {"h.tsv", "Prompt\tCategory\n", "holds a header but no prompts"});
        for (String[] c : cases) {
            Path file = Files.writeString(dir.resolve(c[0]), c[1]);
            UserError e = assertThrows(UserError.class, () -> PromptSetFiles.read(file), c[0]);
            assertTrue(e.getMessage().contains(c[2]) && e.getMessage().contains(c[0]) && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
        UserError missing = assertThrows(UserError.class, () -> PromptSetFiles.read(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
