package org.attnbench.models.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every attention method by the name users write, in the order reports list them. Adding a method
 * is one class implementing {@link VariantSpec} with its {@link Method}, one line here, its float64
 * reference in {@code models.reference}, and tests.
 */
public final class Methods {
    /** Reads a method's own keys; the kernel keys are read before. */
    @FunctionalInterface
    public interface Parser {
        VariantSpec parse(SpecParams params, VariantSpec.Kernel kernel);
    }

    /**
     * A method as users and readers name it.
     *
     * @param name as written in specs: "todo"
     * @param displayName as papers write it: "ToDo"
     * @param claims the speedups its paper claims, for reports to set beside measured ones
     */
    public record Method(String name, String displayName, Parser parser, List<PaperClaim> claims) {}

    private static final Map<String, Method> BY_NAME = index(
            List.of(Dense.METHOD, Todo.METHOD, Tome.METHOD, Tome.KV_METHOD));

    private Methods() {}

    /** The method written {@code name}, or null. */
    public static Method byName(String name) {
        return BY_NAME.get(name);
    }

    /** Every method, in the order reports list them. */
    public static List<Method> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** "ToDo" for "todo"; an unknown name as it is. */
    public static String displayName(String name) {
        Method m = BY_NAME.get(name);
        return m == null ? name : m.displayName();
    }

    private static Map<String, Method> index(List<Method> methods) {
        Map<String, Method> out = new LinkedHashMap<>();
        for (Method m : methods) {
            if (out.put(m.name(), m) != null) throw new IllegalStateException("two methods named " + m.name());
        }
        return out;
    }
}
