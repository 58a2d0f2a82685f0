package org.attnbench.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.attnbench.store.RowsTable;
import org.attnbench.store.RunFolder;
import org.attnbench.store.StoreJson;
import org.junit.jupiter.api.Test;

/**
 * The committed gate baseline is in today's format (its rows and manifest hold to the schemas,
 * its CSV has today's columns), and rows of version 1 read and written again hold to them too.
 */
class StoredRowsTest {
    static final Path BASELINE = Path.of("../results/baselines/gate");

    @Test
    void theCommittedBaselineHoldsToTodaysSchemasAndColumns() throws Exception {
        SchemaCheck.assertValid("manifest", Files.readString(BASELINE.resolve(RunFolder.MANIFEST)));
        List<String> lines = Files.readAllLines(BASELINE.resolve(RunFolder.ROWS_JSONL));
        assertEquals(16, lines.size());
        for (String line : lines) SchemaCheck.assertValid("row", line);
        List<ResultRow> rows = RowsFile.read(BASELINE);
        assertEquals(RowsTable.toCsv(rows).lines().findFirst().orElseThrow(),
                Files.readAllLines(BASELINE.resolve(RunFolder.ROWS_CSV)).get(0), "rows.csv has the columns the code writes");
    }

    @Test
    void versionOneRowsReadAndWrittenAgainHoldToTheSchema() {
        List<ResultRow> rows = RowsFile.read(Path.of("../store/src/test/resources/v1"));
        assertTrue(rows.size() >= 4);
        for (ResultRow r : rows) SchemaCheck.assertValid("row", StoreJson.write(StoreJson.PRETTY, r));
    }

    @Test
    void theSchemaRefusesWhatIsNotARow() {
        String row = StoreJson.write(StoreJson.COMPACT, RowsFile.read(BASELINE).get(0));
        assertEquals(List.of(), SchemaCheck.problems("row", row));
        assertEquals(1, SchemaCheck.problems("row", row.replace("\"status\":\"ok\"", "\"status\":\"fine\"")).size());
        assertEquals(1, SchemaCheck.problems("row", row.replace("\"schema_version\":2,", "")).size());
        assertEquals(1, SchemaCheck.problems("row", row.replace("\"cell\":{", "\"cell\":{\"extra\":1,")).size());
    }
}
