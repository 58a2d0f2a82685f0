package org.attnbench.harness.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.attnbench.core.Suggest;
import org.attnbench.core.UserError;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node with its key path, read with typed accessors. A value of the wrong type is
 * reported (with its line, column and path) and read as absent, so reading goes on and every
 * problem of a file is found in one pass.
 */
final class ConfigNode {
    private final Node node;
    private final String path;
    private final Problems problems;

    ConfigNode(Node node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    Mark mark() {
        return node == null ? null : node.getStartMark();
    }

    void problem(String message) {
        problems.add(mark(), path, message);
    }

    boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    /** The entries of a mapping; unknown keys are reported with the closest known one. */
    Optional<Map<String, ConfigNode>> mapping(Collection<String> known) {
        if (!(node instanceof MappingNode m)) {
            problem("must be a mapping of " + String.join(", ", new TreeSet<>(known)) + "; got " + describe());
            return Optional.empty();
        }
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problems.add(t.getKeyNode().getStartMark(), path, "keys must be plain words");
                continue;
            }
            String key = k.getValue();
            String child = path.isEmpty() ? key : path + "." + key;
            if (!known.contains(key)) {
                problems.add(k.getStartMark(), path, "unknown key '" + key + "'" + Suggest.hint(key, known)
                        + "; known keys: " + String.join(", ", new TreeSet<>(known)));
                continue;
            }
            if (out.containsKey(key)) {
                problems.add(k.getStartMark(), path, "key '" + key + "' is given twice");
                continue;
            }
            out.put(key, new ConfigNode(t.getValueNode(), child, problems));
        }
        return Optional.of(out);
    }

    /** A list; a single scalar is read as a list of one, so {@code backends: djl} works. */
    Optional<List<ConfigNode>> list() {
        if (node instanceof ScalarNode && !isNull()) return Optional.of(List.of(this));
        if (!(node instanceof SequenceNode s)) {
            problem("must be a list; got " + describe());
            return Optional.empty();
        }
        if (s.getValue().isEmpty()) {
            problem("must not be empty");
            return Optional.empty();
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new ConfigNode(s.getValue().get(i), path + "[" + i + "]", problems));
        }
        return Optional.of(out);
    }

    Optional<String> string() {
        if (node instanceof ScalarNode s && !isNull()) return Optional.of(s.getValue());
        problem("must be a single value; got " + describe());
        return Optional.empty();
    }

    /** An integer from {@code min} to {@code max}: every size a config sets has a ceiling, checked before anything is built. */
    Optional<Integer> integer(int min, int max) {
        Optional<String> s = scalarOfTag(Tag.INT, "an integer");
        if (s.isEmpty()) return Optional.empty();
        try {
            long v = Long.decode(s.get().replace("_", ""));
            if (v >= min && v <= max) return Optional.of((int) v);
            problem(v < min ? "must be at least " + min + "; got " + v : "must be at most " + max + "; got " + v);
        } catch (NumberFormatException e) {
            problem("must be an integer from " + min + " to " + max + "; got '" + s.get() + "'");
        }
        return Optional.empty();
    }

    Optional<Double> number(double min, double max) {
        Optional<String> s = node instanceof ScalarNode sc && sc.getTag().equals(Tag.INT)
                ? Optional.of(sc.getValue()) : scalarOfTag(Tag.FLOAT, "a number");
        if (s.isEmpty()) return Optional.empty();
        try {
            double v = Double.parseDouble(s.get().replace("_", ""));
            if (v >= min && v <= max) return Optional.of(v);
            problem("must be between " + min + " and " + max + "; got " + v);
        } catch (NumberFormatException e) {
            problem("must be a number; got '" + s.get() + "'");
        }
        return Optional.empty();
    }

    Optional<Boolean> bool() {
        return scalarOfTag(Tag.BOOL, "true or false").map(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes")
                || v.equalsIgnoreCase("on"));
    }

    /** One of the allowed words, else a problem naming them (and the closest, if it looks like a typo). */
    Optional<String> choice(List<String> allowed) {
        return string().flatMap(s -> {
            if (allowed.contains(s)) return Optional.of(s);
            problem("'" + s + "' is not one of " + String.join(", ", allowed) + Suggest.hint(s, allowed));
            return Optional.empty();
        });
    }

    /** Runs a check that speaks in UserErrors, turning its message into a problem at this node. */
    <T> Optional<T> attempt(Supplier<T> check) {
        try {
            return Optional.ofNullable(check.get());
        } catch (UserError e) {
            problem(e.getMessage());
            return Optional.empty();
        }
    }

    /** A key's value read with {@code read}, empty when the key is absent or null. */
    static <T> Optional<T> get(Map<String, ConfigNode> m, String key, Function<ConfigNode, Optional<T>> read) {
        ConfigNode n = m.get(key);
        return n == null || n.isNull() ? Optional.empty() : read.apply(n);
    }

    /** A key's list read item by item; {@code fallback} when absent (or when no item could be read). */
    static <T> List<T> list(Map<String, ConfigNode> m, String key, Function<ConfigNode, Optional<T>> read,
            List<T> fallback) {
        ConfigNode n = m.get(key);
        if (n == null) return fallback;
        List<T> out = new ArrayList<>();
        for (ConfigNode item : n.list().orElse(List.of())) read.apply(item).ifPresent(out::add);
        return out.isEmpty() ? fallback : out;
    }

    private Optional<String> scalarOfTag(Tag tag, String what) {
        if (node instanceof ScalarNode s && s.getTag().equals(tag)) return Optional.of(s.getValue());
        problem("must be " + what + "; got " + describe());
        return Optional.empty();
    }

    private String describe() {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        if (isNull()) return "nothing";
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
