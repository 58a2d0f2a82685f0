package org.attnbench.harness;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.attnbench.core.UserError;
import org.attnbench.models.attention.AttentionShape;
import org.attnbench.models.attention.VariantSpec;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * An attention benchmark configuration: every backend x device x grid x variant is one cell.
 * See configs/quickstart.yaml for the keys.
 */
public record SweepConfig(String name, List<String> backends, List<String> devices, List<String> grids,
                          int channels, int heads, int batch, List<String> variants,
                          int warmup, int iterations, long seed, String inputs) {
    private static final Set<String> KEYS = Set.of("name", "backends", "devices", "grids", "channels", "heads",
            "batch", "variants", "warmup", "iterations", "seed", "inputs");
    /** Token maps: seeded Gaussian, or projected from the photographs of Debian's mate-backgrounds. */
    public static final List<String> INPUTS = List.of("gaussian", "photos");

    public static SweepConfig load(Path path) {
        Object root;
        try (Reader in = Files.newBufferedReader(path)) {
            root = new Yaml().load(in);
        } catch (NoSuchFileException e) {
            throw new UserError("config not found: " + path);
        } catch (MarkedYAMLException e) {
            throw new UserError(path + ":" + (e.getProblemMark().getLine() + 1) + ":" + (e.getProblemMark().getColumn() + 1)
                    + ": YAML syntax error: " + e.getProblem());
        } catch (IOException e) {
            throw new UserError("cannot read config " + path + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) throw new UserError(path + ": the config must be a YAML mapping");
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new UserError(path + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        Fields f = new Fields(path, map);
        SweepConfig c = new SweepConfig(f.string("name", path.getFileName().toString()),
                f.strings("backends", List.of("onnxruntime", "djl")), f.strings("devices", List.of("cpu")),
                f.strings("grids", List.of("32x32")), f.integer("channels", 320), f.integer("heads", 8),
                f.integer("batch", 1), f.strings("variants", List.of("dense")),
                f.integer("warmup", 3), f.integer("iterations", 10), f.integer("seed", 0), f.string("inputs", "gaussian"));
        if (!INPUTS.contains(c.inputs)) {
            throw new UserError(path + ": inputs '" + c.inputs + "' is not one of " + String.join(", ", INPUTS));
        }
        c.grids.forEach(AttentionShape::parseGrid);
        c.variants.forEach(VariantSpec::parse);
        if (c.iterations < 1) throw new UserError(path + ": iterations must be >= 1");
        return c;
    }

    /** Typed reads that name the key on a type mistake. */
    private record Fields(Path path, Map<?, ?> map) {
        String string(String key, String fallback) {
            Object v = map.get(key);
            return v == null ? fallback : v.toString();
        }

        int integer(String key, int fallback) {
            Object v = map.get(key);
            if (v == null) return fallback;
            if (v instanceof Integer i) return i;
            throw new UserError(path + ": '" + key + "' must be an integer, got '" + v + "'");
        }

        List<String> strings(String key, List<String> fallback) {
            Object v = map.get(key);
            if (v == null) return fallback;
            if (v instanceof List<?> list && !list.isEmpty()) return list.stream().map(String::valueOf).toList();
            throw new UserError(path + ": '" + key + "' must be a non-empty list");
        }
    }
}
