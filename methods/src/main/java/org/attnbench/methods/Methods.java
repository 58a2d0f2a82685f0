package org.attnbench.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.attnbench.methods.step.DeepCache;
import org.attnbench.methods.step.FirstBlockCache;
import org.attnbench.methods.step.PyramidAttentionBroadcast;
import org.attnbench.methods.step.TaylorSeer;
import org.attnbench.methods.token.Dense;
import org.attnbench.methods.token.Todo;
import org.attnbench.methods.token.Tome;

/**
 * Every method by the name users write, in the order reports list them: the one place a method is
 * registered. Adding a method is its class (with its rewrite or step plan, and its float64 twin),
 * its {@link Entry}, and one line in {@link #ALL}.
 */
public final class Methods {
    /**
     * A method as users and readers name it.
     *
     * @param name as written in specs: "todo"
     * @param displayName as papers write it: "ToDo"
     * @param parser reads its keys (defaults, checks, each mistake one UserError) into the method
     * @param type the class the parser makes, which a cell's task names when it crosses to a forked JVM
     * @param claims the speedups its paper claims, for reports to set beside measured ones
     */
    public record Entry(String name, String displayName, Function<SpecParams, Method> parser, Class<? extends Method> type,
            List<PaperClaim> claims) {}

    private static final List<Entry> ALL = List.of(Dense.METHOD, Todo.METHOD, Tome.METHOD, Tome.KV_METHOD, DeepCache.METHOD,
            FirstBlockCache.METHOD, TaylorSeer.METHOD, PyramidAttentionBroadcast.METHOD);

    private static final Map<String, Entry> BY_NAME = index(ALL);

    private Methods() {}

    /** The method written {@code name}, or null. */
    public static Entry byName(String name) {
        return BY_NAME.get(name);
    }

    /** Every method, in the order reports list them. */
    public static List<Entry> all() {
        return ALL;
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** "ToDo" for "todo"; "ToDo + DeepCache" for a stack; an unknown name as it is. */
    public static String displayName(String family) {
        List<String> parts = List.of(family.split("\\+"));
        return String.join(" + ", parts.stream().map(p -> {
            Entry m = BY_NAME.get(p);
            return m == null ? p : m.displayName();
        }).toList());
    }

    private static Map<String, Entry> index(List<Entry> methods) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry m : methods) {
            if (out.put(m.name(), m) != null) throw new IllegalStateException("two methods named " + m.name());
        }
        return out;
    }
}
