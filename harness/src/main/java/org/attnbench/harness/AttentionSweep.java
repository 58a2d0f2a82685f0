package org.attnbench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.attnbench.backend.Device;
import org.attnbench.core.UserError;
import org.attnbench.metrics.fidelity.Fidelity;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.BlockInputs;
import org.attnbench.models.attention.BlockWeights;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.tensor.HostTensor;

/**
 * Runs every cell of a {@link SweepConfig} in order, prints a line per cell as it finishes,
 * then a table with speedup and fidelity against dense (same backend, device, grid and kernel,
 * measured in the same run), and writes the rows to a CSV file.
 */
public final class AttentionSweep {
    /** One finished cell. */
    public record Row(AttentionCell cell, AttentionCell.Measurement measurement, String error) {}

    private final SweepConfig config;
    private final PrintStream out;

    public AttentionSweep(SweepConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public List<AttentionCell> cells() {
        List<AttentionCell> cells = new ArrayList<>();
        for (String backend : config.backends()) {
            for (String device : config.devices()) {
                for (String grid : config.grids()) {
                    int[] hw = AttentionShape.parseGrid(grid);
                    AttentionShape shape = new AttentionShape(config.batch(), hw[0], hw[1], config.channels(), config.heads());
                    for (String variant : config.variants()) {
                        cells.add(new AttentionCell(backend, Device.parse(device), shape, VariantSpec.parse(variant)));
                    }
                }
            }
        }
        return cells;
    }

    public List<Row> run() {
        List<AttentionCell> cells = cells();
        Map<String, HostTensor> weights = BlockWeights.random(config.seed(), config.channels());
        Map<AttentionShape, HostTensor> inputs = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < cells.size(); i++) {
            AttentionCell cell = cells.get(i);
            HostTensor x = inputs.computeIfAbsent(cell.shape(), this::input);
            Row row;
            try {
                row = new Row(cell, cell.measure(weights, x, config.warmup(), config.iterations()), null);
            } catch (UserError e) {
                throw e;
            } catch (RuntimeException e) {
                row = new Row(cell, null, String.valueOf(e.getMessage()));
            }
            rows.add(row);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = elapsed / (i + 1) * (cells.size() - i - 1);
            out.printf(Locale.ROOT, "[%d/%d] %s %s %s %s: %s   (elapsed %.0fs, eta %.0fs)%n", i + 1, cells.size(),
                    cell.backend(), cell.device(), cell.grid(), cell.variant().canonical(),
                    row.error() == null ? String.format(Locale.ROOT, "%.2f ms", row.measurement().samples().median())
                            : "FAILED: " + row.error(), elapsed, eta);
        }
        return rows;
    }

    /** Photo token maps use the nature photographs of Debian's mate-backgrounds, batch element b photo b. */
    static final Path PHOTOS = Path.of("/usr/share/backgrounds/mate/nature");

    private HostTensor input(AttentionShape shape) {
        if (config.inputs().equals("gaussian")) return BlockInputs.gaussian(config.seed() + 1, shape);
        try (var files = Files.list(PHOTOS)) {
            List<Path> photos = files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
            if (photos.isEmpty()) throw new IOException("no .jpg files");
            return BlockInputs.fromImages(photos, config.seed() + 1, shape);
        } catch (IOException e) {
            throw new UserError("inputs: photos needs the photographs in " + PHOTOS
                    + " (apt-get install mate-backgrounds): " + e.getMessage());
        }
    }

    /**
     * The baseline of a row, if it ran: for a token-reduction variant, dense with the same kernel
     * (does the gain survive that kernel?); for a dense kernel, plain dense. Same backend, device, grid.
     */
    static Row denseFor(List<Row> rows, Row row) {
        VariantSpec.Kernel kernel = row.cell().variant() instanceof VariantSpec.Dense
                ? VariantSpec.Kernel.MATMUL : row.cell().variant().kernel();
        for (Row r : rows) {
            AttentionCell c = r.cell();
            if (c.variant() instanceof VariantSpec.Dense && c.backend().equals(row.cell().backend())
                    && c.device().equals(row.cell().device()) && c.shape().equals(row.cell().shape())
                    && c.variant().kernel().equals(kernel) && r.error() == null) {
                return r;
            }
        }
        return null;
    }

    /** A finished cell against its dense baseline (null fields where there is none or the cell failed). */
    public record Summary(Row row, Double speedup, Fidelity fidelity) {}

    /** Speedup and fidelity of every row against its dense baseline, computed once for table and CSV. */
    public List<Summary> summarize(List<Row> rows) {
        List<Summary> out = new ArrayList<>();
        for (Row r : rows) {
            Row dense = r.error() == null ? denseFor(rows, r) : null;
            if (dense == null) {
                out.add(new Summary(r, null, null));
                continue;
            }
            out.add(new Summary(r, dense.measurement().samples().median() / r.measurement().samples().median(),
                    Fidelity.compare(dense.measurement().output().toDoubles(), r.measurement().output().toDoubles())));
        }
        return out;
    }

    public void printTable(List<Summary> summaries) {
        int width = summaries.stream().mapToInt(s -> s.row().cell().variant().canonical().length()).max().orElse(7);
        String head = "%-11s %-6s %-9s %-" + width + "s ";
        out.println();
        out.printf(Locale.ROOT, head + "%10s %10s %8s %12s %10s%n",
                "backend", "device", "grid", "variant", "median ms", "p90 ms", "speedup", "MSE vs dense", "cosine");
        for (Summary s : summaries) {
            Row r = s.row();
            AttentionCell c = r.cell();
            if (r.error() != null) {
                out.printf(Locale.ROOT, head + "%s%n", c.backend(), c.device(), c.grid(),
                        c.variant().canonical(), "FAILED: " + r.error());
                continue;
            }
            boolean compared = s.speedup() != null;
            out.printf(Locale.ROOT, head + "%10.2f %10.2f %8s %12s %10s%n", c.backend(), c.device(), c.grid(),
                    c.variant().canonical(), r.measurement().samples().median(), r.measurement().samples().percentile(90),
                    compared ? String.format(Locale.ROOT, "%.2fx", s.speedup()) : "-",
                    compared ? String.format(Locale.ROOT, "%.3e", s.fidelity().mse()) : "-",
                    compared ? String.format(Locale.ROOT, "%.5f", s.fidelity().cosine()) : "-");
        }
    }

    /** Writes one CSV row per cell into a new folder under {@code resultsRoot}; returns the folder. */
    public Path writeCsv(List<Summary> summaries, Path resultsRoot) {
        String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + config.name();
        Path dir = resultsRoot.resolve(id);
        StringBuilder csv = new StringBuilder("backend,device,grid,variant,median_ms,p90_ms,speedup,mse_vs_dense,error\n");
        for (Summary s : summaries) {
            Row r = s.row();
            AttentionCell c = r.cell();
            boolean ok = r.error() == null;
            csv.append(String.join(",", c.backend(), c.device().toString(), c.grid(), '"' + c.variant().canonical() + '"',
                    ok ? Double.toString(r.measurement().samples().median()) : "",
                    ok ? Double.toString(r.measurement().samples().percentile(90)) : "",
                    s.speedup() == null ? "" : Double.toString(s.speedup()),
                    s.fidelity() == null ? "" : Double.toString(s.fidelity().mse()),
                    ok ? "" : '"' + r.error().replace('"', '\'') + '"')).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("rows.csv"), csv);
        } catch (IOException e) {
            throw new UserError("cannot write results to " + dir + ": " + e.getMessage());
        }
        return dir;
    }
}
