package org.attnbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.attnbench.core.UserError;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell record cut short by a crash (every class of byte boundary) is set aside with one line
 * naming it, and its cell counts as not done; the readable records stay as they were.
 */
class UnreadableRowTest {
    @TempDir
    Path tmp;

    static final Map<String, UnaryOperator<byte[]>> DAMAGE = Map.of(
            "empty", b -> new byte[0],
            "half", b -> Arrays.copyOf(b, b.length / 2),
            "missing closing brace", b -> Arrays.copyOf(b, new String(b, StandardCharsets.UTF_8).stripTrailing().length() - 1),
            "first byte only", b -> Arrays.copyOf(b, 1),
            "invalid UTF-8", b -> {
                byte[] c = b.clone();
                c[c.length / 3] = (byte) 0xC3; // a lead byte followed by ASCII: no UTF-8 decoder takes it
                c[c.length / 3 + 1] = (byte) 0x28;
                return c;
            },
            "not a row", b -> "{\"cell\": 5}".getBytes(StandardCharsets.UTF_8),
            "a JSON array", b -> "[]".getBytes(StandardCharsets.UTF_8));

    @TestFactory
    List<DynamicTest> eachDamagedRecordIsSetAsideAndItsCellCountsAsNotDone() {
        return DAMAGE.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Path dir = tmp.resolve(e.getKey().replace(' ', '-'));
            RunFolder run = RunFolder.create(dir);
            run.writeManifest(new RunManifest("x", "c.yaml", "h", "", 1.0, "run", new GitState("c", false), Machine.current(),
                    Map.of(), null, null, 2, "t0", null, null));
            run.record(RunFolderTest.measured("a", "dense", 1, 2, 3));
            run.record(RunFolderTest.measured("b", "todo:factor=2", 1, 2, 3));
            Path b = run.cellDir("b").resolve(RunFolder.ROW);
            byte[] damaged = e.getValue().apply(Files.readAllBytes(b));
            Files.write(b, damaged);
            String kept = Files.readString(run.cellDir("a").resolve(RunFolder.ROW));

            RunFolder reopened = RunFolder.open(dir);
            UserError refused = assertThrows(UserError.class, reopened::rows, "a report or compare names the file and the fix");
            assertTrue(refused.getMessage().contains(b.toString()) && refused.getMessage().contains("--resume"), refused.getMessage());
            assertFalse(refused.getMessage().matches("(?s).*\\b[a-z]+\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error).*"), refused.getMessage());

            List<String> notes = reopened.setAsideUnreadable();
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).startsWith("cells/" + RunFolder.key("b") + "/row.json is unreadable ("), notes.get(0));
            assertTrue(notes.get(0).endsWith("set aside as row.json.unreadable, its cell is measured again"), notes.get(0));
            assertFalse(Files.exists(b));
            assertArrayEquals(damaged, Files.readAllBytes(b.resolveSibling("row.json.unreadable")), "kept as it was");
            assertEquals(List.of("a"), reopened.rows().stream().map(r -> r.cell().id()).toList());
            assertEquals(kept, Files.readString(run.cellDir("a").resolve(RunFolder.ROW)));
            assertEquals(List.of(), reopened.setAsideUnreadable(), "nothing left to set aside");

            // Measured again and damaged again: the first copy set aside is kept too.
            reopened.record(RunFolderTest.measured("b", "todo:factor=2", 1, 2, 3));
            Files.write(b, damaged);
            assertEquals(1, RunFolder.open(dir).setAsideUnreadable().size());
            assertTrue(Files.exists(b.resolveSibling("row.json.unreadable-1")));
        })).toList();
    }

    @Test
    void manifestAndRowsCarryTheSchemaVersionAndANewerOneIsRefusedInWords() throws Exception {
        RunFolder run = RunFolder.create(tmp.resolve("run"));
        run.record(RunFolderTest.measured("a", "dense", 1, 2, 3));
        String jsonl = Files.readString(run.dir().resolve(RunFolder.ROWS_JSONL));
        assertTrue(jsonl.startsWith("{\"schema_version\":" + StoreJson.SCHEMA_VERSION + ",\"cell\":"), jsonl);
        assertTrue(Files.readString(run.cellDir("a").resolve(RunFolder.ROW)).contains("\"schema_version\": 2"));

        Path newer = tmp.resolve("newer.jsonl");
        Files.writeString(newer, jsonl.replace("\"schema_version\":2", "\"schema_version\":3"));
        UserError e = assertThrows(UserError.class, () -> RowsFile.read(newer));
        assertTrue(e.getMessage().contains("written by a newer attnbench (schema_version 3; this one reads up to 2)"),
                e.getMessage());

        Path old = tmp.resolve("old.jsonl");
        Files.writeString(old, jsonl.replace("\"schema_version\":2,", ""));
        assertEquals("a", RowsFile.read(old).get(0).cell().id(), "rows without a version (version 1) still read");
    }

    @Test
    void aRowThatIsNotJsonIsRefusedWithoutTheParsersClassNames() throws Exception {
        Path f = tmp.resolve("rows.jsonl");
        Files.writeString(f, "\"hello\"\n");
        UserError e = assertThrows(UserError.class, () -> RowsFile.read(f));
        assertEquals(f + ":1: not a result row (not a JSON object)", e.getMessage());
        Files.writeString(f, "{\"cell\": 5}\n");
        e = assertThrows(UserError.class, () -> RowsFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: not a result row (Expected BEGIN_OBJECT but was NUMBER"), e.getMessage());
    }
}
