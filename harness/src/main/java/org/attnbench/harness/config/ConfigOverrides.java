package org.attnbench.harness.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.attnbench.core.UserError;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code --set PATH=VALUE} on the command line: a config value replaced before the config is
 * read, e.g. {@code devices=cpu}, {@code timing.iterations=3}, {@code workloads[0].unet.steps=10}.
 * VALUE is YAML ({@code [cpu, cuda]}, {@code 0.5}, {@code true}). The result is the config's text
 * with the values set (comments dropped, a header listing the overrides), and it is that text a
 * run records and its forked JVMs read.
 */
public final class ConfigOverrides {
    private static final Pattern STEP = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[\\d+])*)");

    private ConfigOverrides() {}

    public static String apply(String text, List<String> sets) {
        if (sets.isEmpty()) return text;
        Object root;
        try {
            root = new Yaml().load(text);
        } catch (YAMLException e) {
            return text; // the reader reports the syntax error with its position
        }
        if (!(root instanceof Map)) root = new LinkedHashMap<String, Object>();
        for (String set : sets) set(root, set);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        return "# with --set " + String.join(" --set ", sets) + "\n" + new Yaml(options).dump(root);
    }

    @SuppressWarnings("unchecked")
    private static void set(Object root, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) throw new UserError("--set '" + set + "' is not PATH=VALUE (e.g. timing.iterations=3)");
        String path = set.substring(0, eq).trim();
        Object value;
        try {
            value = new Yaml().load(set.substring(eq + 1));
        } catch (YAMLException e) {
            throw new UserError("--set " + path + ": the value is not YAML: " + set.substring(eq + 1));
        }
        List<Object> steps = steps(path);
        Object node = root;
        for (int i = 0; i < steps.size() - 1; i++) node = child(node, steps.get(i), steps.get(i + 1), path);
        Object last = steps.get(steps.size() - 1);
        if (last instanceof String key && node instanceof Map) {
            ((Map<String, Object>) node).put(key, value);
        } else if (last instanceof Integer i && node instanceof List && i < ((List<Object>) node).size()) {
            ((List<Object>) node).set(i, value);
        } else {
            throw new UserError("--set " + path + ": there is no such place in the config");
        }
    }

    /** The node under {@code step}, created (as a mapping or list, whichever {@code next} needs) when absent. */
    @SuppressWarnings("unchecked")
    private static Object child(Object node, Object step, Object next, String path) {
        if (step instanceof String key) {
            if (!(node instanceof Map)) throw new UserError("--set " + path + ": '" + key + "' is not under a mapping");
            Map<String, Object> m = (Map<String, Object>) node;
            return m.computeIfAbsent(key, k -> next instanceof String ? new LinkedHashMap<String, Object>() : new ArrayList<>());
        }
        int i = (Integer) step;
        if (!(node instanceof List) || i >= ((List<Object>) node).size()) {
            throw new UserError("--set " + path + ": there is no item [" + i + "] there");
        }
        return ((List<Object>) node).get(i);
    }

    private static List<Object> steps(String path) {
        List<Object> out = new ArrayList<>();
        for (String part : path.split("\\.")) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) throw new UserError("--set '" + path + "': '" + part + "' is not a key (e.g. workloads[0].unet.steps)");
            out.add(m.group(1));
            Matcher idx = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
            while (idx.find()) out.add(Integer.parseInt(idx.group(1)));
        }
        return out;
    }
}
