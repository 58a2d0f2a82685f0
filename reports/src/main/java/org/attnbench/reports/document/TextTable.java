package org.attnbench.reports.document;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Builds a Tablesaw table of text cells row by row, the shape every report table has. */
public final class TextTable {
    private final String name;
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String name, List<String> headers) {
        this.name = name;
        this.headers = List.copyOf(headers);
    }

    public TextTable(String name, String... headers) {
        this(name, List.of(headers));
    }

    public TextTable add(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + headers.size() + " columns: " + cells);
        }
        rows.add(cells.stream().map(c -> c == null ? "" : c).toList());
        return this;
    }

    public TextTable add(String... cells) {
        return add(List.of(cells));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public Table build() {
        Table t = Table.create(name);
        for (int c = 0; c < headers.size(); c++) {
            int col = c;
            t.addColumns(StringColumn.create(headers.get(c), rows.stream().map(r -> r.get(col))));
        }
        return t;
    }
}
