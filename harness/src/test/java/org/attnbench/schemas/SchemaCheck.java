package org.attnbench.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.attnbench.store.PromptEncoding;
import org.attnbench.store.RunFolder;

/**
 * Holds JSON documents to the schemas that ship in the store module ({@code /schemas/NAME.schema.json}),
 * with a standard validator (JSON Schema 2020-12), so the documents and their documented schemas
 * cannot drift apart.
 */
public final class SchemaCheck {
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaCheck() {}

    public static Schema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            try (InputStream in = SchemaCheck.class.getResourceAsStream("/schemas/" + n + ".schema.json")) {
                assertTrue(in != null, "no schema " + n);
                return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The schema's complaints about one document, none when it conforms. */
    public static List<String> problems(String schema, String json) {
        return schema(schema).validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    public static void assertValid(String schema, String json) {
        List<String> problems = problems(schema, json);
        assertEquals(List.of(), problems, schema + ": " + (json.length() > 3000 ? json.substring(0, 3000) + "..." : json));
    }

    /**
     * Every record a run folder holds: its manifest, each cell's row.json, each line of rows.jsonl and
     * each prompt encoding. Returns the rows checked.
     */
    public static int assertRunValid(Path run) {
        try {
            assertValid("manifest", Files.readString(run.resolve(RunFolder.MANIFEST)));
            int rows = 0;
            try (Stream<Path> cells = Files.list(run.resolve(RunFolder.CELLS))) {
                for (Path cell : cells.sorted().toList()) {
                    Path row = cell.resolve(RunFolder.ROW);
                    if (!Files.exists(row)) continue;
                    assertValid("row", Files.readString(row));
                    rows++;
                }
            }
            for (String line : Files.readAllLines(run.resolve(RunFolder.ROWS_JSONL))) {
                if (!line.isBlank()) assertValid("row", line);
            }
            Path prompts = run.resolve(PromptEncoding.FOLDER);
            if (Files.isDirectory(prompts)) {
                try (Stream<Path> folders = Files.list(prompts)) {
                    for (Path f : folders.sorted().toList()) assertValid("prompt-encoding", Files.readString(f.resolve(PromptEncoding.FILE)));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
