package org.attnbench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import com.google.gson.JsonParseException;
import org.attnbench.core.Reasons;
import org.attnbench.core.UserError;

/**
 * Result rows from wherever they are kept: a run folder (its cells), a folder holding a
 * {@code rows.jsonl} (such as a committed baseline), or a {@code .jsonl} file itself.
 */
public final class RowsFile {
    private RowsFile() {}

    public static List<ResultRow> read(Path path) {
        if (Files.isDirectory(path.resolve(RunFolder.CELLS)) && Files.isRegularFile(path.resolve(RunFolder.MANIFEST))) {
            return RunFolder.open(path).rows();
        }
        Path file = Files.isDirectory(path) ? path.resolve(RunFolder.ROWS_JSONL) : path;
        if (!Files.isRegularFile(file)) {
            throw new UserError(path + " holds no results: give a run folder, a folder with " + RunFolder.ROWS_JSONL
                    + ", or a .jsonl file");
        }
        List<ResultRow> rows = new ArrayList<>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                if (line.isBlank()) continue;
                try {
                    ResultRow r = StoreJson.read(line, ResultRow.class);
                    if (r == null || r.cell() == null || r.status() == null) throw new JsonParseException("no cell or status");
                    rows.add(r);
                } catch (JsonParseException e) {
                    throw new UserError(file + ":" + n + ": not a result row (" + Reasons.of(e) + ")");
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + Reasons.of(e));
        }
        return rows;
    }
}
