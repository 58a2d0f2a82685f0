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
import org.attnbench.methods.Method;
import org.attnbench.methods.Methods;
import org.attnbench.methods.StepMethod;
import org.attnbench.methods.TokenMethod;
import org.attnbench.methods.Variant;
import org.attnbench.store.AtomicFiles;
import org.attnbench.store.PromptEncoding;
import org.attnbench.workloads.Cell;
import org.attnbench.workloads.Point;

/**
 * What a forked JVM needs to run one cell, written as {@code task.json} in the cell's folder: the
 * cell itself (its point with the workload's settings, the variant as the parsed method: its name and its
 * record's fields, read back into the same record without parsing a spec again), the
 * sweep's seed, the backend's options, the threads an operator may use, how many fidelity samples
 * to keep and, for a denoising cell of a sweep with prompts, where the run keeps them encoded. The fork runs exactly
 * this cell; it neither reads the config nor plans the sweep again.
 */
public record CellTask(Cell cell, long seed, Map<String, String> backendOptions, int threads, int samples, String cellDir,
        Path prompts) {
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
        CellTask t = new CellTask(cell, config.seed(), config.backendOptions(cell.backend()), config.timing().threads(),
                samples, cellDir.toAbsolutePath().toString(), prompts == null ? null : prompts.toAbsolutePath());
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

    /** Paths as strings; a point as its record, tagged with its kind; a method as its record, tagged with its name. */
    private static final Gson PLAIN = new GsonBuilder().setPrettyPrinting()
            .registerTypeHierarchyAdapter(Path.class, (JsonSerializer<Path>) (p, t, c) -> new JsonPrimitive(p.toString()))
            .registerTypeHierarchyAdapter(Path.class, (JsonDeserializer<Path>) (j, t, c) -> Path.of(j.getAsString()))
            .create();

    private static final Gson JSON = PLAIN.newBuilder()
            .registerTypeAdapter(Variant.class, (JsonSerializer<Variant>) (v, t, c) -> {
                JsonObject o = new JsonObject();
                o.add("tokens", method(v.tokens()));
                if (v.steps() != null) o.add("steps", method(v.steps()));
                return o;
            })
            .registerTypeAdapter(Variant.class, (JsonDeserializer<Variant>) (j, t, c) -> {
                JsonObject o = j.getAsJsonObject();
                return new Variant((TokenMethod) method(o.getAsJsonObject("tokens")),
                        o.has("steps") ? (StepMethod) method(o.getAsJsonObject("steps")) : null);
            })
            .registerTypeHierarchyAdapter(Point.class, (JsonSerializer<Point>) (p, t, c) -> {
                JsonObject o = PLAIN.toJsonTree(p, p.getClass()).getAsJsonObject();
                o.addProperty("kind", p.kind().toString());
                return o;
            })
            .registerTypeHierarchyAdapter(Point.class, (JsonDeserializer<Point>) (j, t, c) -> {
                JsonObject o = j.getAsJsonObject();
                return PLAIN.fromJson(o, switch (o.get("kind").getAsString()) {
                    case "attention" -> Point.Attention.class;
                    case "unet" -> Point.Denoising.class;
                    case "ceiling" -> Point.Ceiling.class;
                    default -> throw new JsonParseException("unknown point kind in " + o);
                });
            })
            .create();

    /** A method as {"method": name, "value": its record}. */
    private static JsonObject method(Method m) {
        JsonObject o = new JsonObject();
        o.addProperty("method", m.family());
        o.add("value", PLAIN.toJsonTree(m, m.getClass()));
        return o;
    }

    /** The record a {@link #method(Method)} object holds, of the class its name registers. */
    private static Method method(JsonObject o) {
        Methods.Entry entry = Methods.byName(o.get("method").getAsString());
        if (entry == null) throw new JsonParseException("unknown method in " + o);
        return PLAIN.fromJson(o.get("value"), entry.type());
    }
}
