package org.attnbench.cli;

import java.nio.file.Path;
import java.util.List;
import org.attnbench.harness.config.CellPlan;
import org.attnbench.harness.config.Problem;
import org.attnbench.workloads.Cell;

/**
 * What {@code validate --json} prints (schema: {@code schemas/validate.schema.json}): whether the
 * config is valid, each problem with its place (line and column null where it has none), and the
 * cells it would run.
 */
record ValidationJson(int schemaVersion, String config, String name, boolean valid, List<Place> problems,
        List<CellEntry> cells, int ceilings, long groups) {
    static final int SCHEMA_VERSION = 1;

    record Place(String file, Integer line, Integer column, String path, String message) {}

    record CellEntry(String id, String label, String backend, String device, String dtype, String variant, boolean ceiling) {}

    static ValidationJson valid(Path config, CellPlan plan, long groups) {
        List<CellEntry> cells = plan.cells().stream().map(c -> new CellEntry(c.id(), c.label(), c.backend(),
                c.device().toString(), c.dtype().name().toLowerCase(java.util.Locale.ROOT), c.variantName(), c.isCeiling()))
                .toList();
        return new ValidationJson(SCHEMA_VERSION, config.toString(), plan.config().name(), true, List.of(), cells,
                plan.cells().size() - plan.measured().size(), groups);
    }

    static ValidationJson invalid(Path config, List<Problem> problems) {
        List<Place> places = problems.stream().map(p -> new Place(p.file(), p.line() == 0 ? null : p.line(),
                p.line() == 0 ? null : p.column(), p.path(), p.message())).toList();
        return new ValidationJson(SCHEMA_VERSION, config.toString(), null, false, places, List.of(), 0, 0);
    }
}
