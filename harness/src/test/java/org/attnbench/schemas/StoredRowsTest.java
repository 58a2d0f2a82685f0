package org.attnbench.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.attnbench.harness.gate.Baseline;
import org.attnbench.store.ResultRow;
import org.attnbench.store.RowsFile;
import org.attnbench.store.RowsTable;
import org.attnbench.store.RunFolder;
import org.attnbench.store.StoreJson;
import org.junit.jupiter.api.Test;

/**
 * The committed gate baseline and each of its runs are in today's format (its rows and manifest hold to the schemas,
 * its CSV has today's columns), and rows of version 1 read and written again hold to them too.
 */
class StoredRowsTest {
    static final Path BASELINE = Path.of("../results/baselines/gate");

    @Test
    void theCommittedBaselineHoldsToTodaysSchemasAndColumns() throws Exception {
        List<Path> folders = new ArrayList<>(List.of(BASELINE));
        try (Stream<Path> runs = Files.list(BASELINE.resolve(Baseline.RUNS))) {
            runs.sorted().forEach(folders::add);
        }
        assertTrue(folders.size() >= 4, "the baseline and at least 3 runs whose spread judges timed values");
        for (Path folder : folders) {
            SchemaCheck.assertValid("manifest", Files.readString(folder.resolve(RunFolder.MANIFEST)));
            List<String> lines = Files.readAllLines(folder.resolve(RunFolder.ROWS_JSONL));
            assertEquals(14, lines.size(), folder + " holds the 14 cells of configs/gate.yaml");
            for (String line : lines) SchemaCheck.assertValid("row", line);
            List<ResultRow> rows = RowsFile.read(folder);
            assertEquals(RowsTable.toCsv(rows).lines().findFirst().orElseThrow(),
                    Files.readAllLines(folder.resolve(RunFolder.ROWS_CSV)).get(0), folder + "/rows.csv has the columns the code writes");
        }
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
