package org.attnbench.harness.jmh;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.attnbench.harness.config.SweepConfig;
import org.attnbench.models.attention.VariantSpec;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.PromptEncoding;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;

/**
 * What a forked JVM needs to run one cell, written as {@code task.json} in the cell's folder: the
 * cell itself (its point with the workload's settings, the variant as its canonical spec), the
 * sweep's seed, the backend's options, how many fidelity samples to keep and, for a denoising cell
 * of a sweep with prompts, where the run keeps them encoded. The fork runs exactly
 * this cell; it neither reads the config nor plans the sweep again.
 */
public record CellTask(Cell cell, long seed, Map<String, String> backendOptions, int samples, String cellDir, Path prompts) {
    public static final String FILE = "task.json";

    public static Path write(Path cellDir, SweepConfig config, Cell cell) {
        return write(cellDir, config, cell, null);
    }

    /**
     * The task of a cell; {@code prompts} is the run's encoded prompts a denoising cell samples (a
     * {@link PromptEncoding} folder: then its fidelity samples are every prompt's images), or null.
     */
    public static Path write(Path cellDir, SweepConfig config, Cell cell, Path prompts) {
        int samples = prompts == null ? config.fidelity().samples() : PromptEncoding.read(prompts).images();
        CellTask t = new CellTask(cell, config.seed(), config.backendOptions(cell.backend()), samples,
                cellDir.toAbsolutePath().toString(), prompts == null ? null : prompts.toAbsolutePath());
        Path file = cellDir.resolve(FILE);
        AtomicFiles.writeString(file, JSON.toJson(t));
        return file;
    }

    public static CellTask read(Path file) {
        try {
            return JSON.fromJson(Files.readString(file), CellTask.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return Path.of(cellDir);
    }

    /** Paths as strings; a variant as its spec; a point as its record, tagged with its kind. */
    private static final Gson PLAIN = new GsonBuilder().setPrettyPrinting()
            .registerTypeHierarchyAdapter(Path.class, (JsonSerializer<Path>) (p, t, c) -> new JsonPrimitive(p.toString()))
            .registerTypeHierarchyAdapter(Path.class, (JsonDeserializer<Path>) (j, t, c) -> Path.of(j.getAsString()))
            .create();

    private static final Gson JSON = PLAIN.newBuilder()
            .registerTypeHierarchyAdapter(VariantSpec.class,
                    (JsonSerializer<VariantSpec>) (v, t, c) -> new JsonPrimitive(v.canonical()))
            .registerTypeHierarchyAdapter(VariantSpec.class,
                    (JsonDeserializer<VariantSpec>) (j, t, c) -> VariantSpec.parse(j.getAsString()))
            .registerTypeHierarchyAdapter(Point.class, (JsonSerializer<Point>) (p, t, c) -> {
                JsonObject o = PLAIN.toJsonTree(p, p.getClass()).getAsJsonObject();
                o.addProperty("kind", p.kind().toString());
                return o;
            })
            .registerTypeHierarchyAdapter(Point.class, (JsonDeserializer<Point>) (j, t, c) -> {
                JsonObject o = j.getAsJsonObject();
                return PLAIN.fromJson(o, switch (o.get("kind").getAsString()) {
                    case "attention" -> Point.Attention.class;
                    case "unet" -> Point.UNet.class;
                    case "ceiling" -> Point.Ceiling.class;
                    default -> throw new JsonParseException("unknown point kind in " + o);
                });
            })
            .create();
}
