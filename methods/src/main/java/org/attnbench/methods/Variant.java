package org.attnbench.methods;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.models.attention.Kernel;

/**
 * A variant as users write it on the CLI and in YAML ({@code dense}, {@code dense:kernel=fused},
 * {@code todo:factor=2,method=nearest}, {@code tome:ratio=0.5}), parsed once into its method: the
 * typed value that cells carry, that crosses to a forked JVM and whose label, family and parameters
 * reach the rows the reports read.
 */
public record Variant(TokenMethod tokens) {
    public Variant {
        if (tokens == null) throw new IllegalArgumentException("a variant needs a token method");
    }

    /** Parses a spec; every mistake is a {@link UserError} naming the key and the allowed values. */
    public static Variant parse(String spec) {
        return new Variant(token(spec.trim(), spec));
    }

    /** The canonical spelling, stable across runs (used in cell ids and reports). */
    public String canonical() {
        return tokens.canonical();
    }

    /** The method's name as users write it: dense, todo, tome, tome-kv. */
    public String family() {
        return tokens.family();
    }

    /** A short name for charts and tables. */
    public String label() {
        return tokens.label();
    }

    public Kernel kernel() {
        return tokens.kernel();
    }

    /** Whether this is plain attention, on whatever kernel. */
    public boolean isDense() {
        return tokens.family().equals("dense");
    }

    /** The same variant on another kernel. */
    public Variant withKernel(Kernel kernel) {
        return new Variant(tokens.withKernel(kernel));
    }

    /** Whether it leaves tokens on an h x w grid (see {@link org.attnbench.models.attention.TokenPatch#fits}). */
    public boolean fits(int h, int w, boolean levels) {
        return tokens.fits(h, w, levels);
    }

    /** The parameters as the canonical spec lists them, key to value, for result rows. */
    public Map<String, String> params() {
        Map<String, String> out = new LinkedHashMap<>();
        String c = canonical();
        int colon = c.indexOf(':');
        if (colon < 0) return out;
        for (String kv : c.substring(colon + 1).split(",")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    @Override
    public String toString() {
        return canonical();
    }

    private static TokenMethod token(String text, String spec) {
        Method m = method(text, spec);
        if (m instanceof TokenMethod t) return t;
        throw new UserError("variant '" + spec + "': " + m.family() + " is not a token method");
    }

    /** One method's spec, {@code name:key=value,...}, read through its registered parser. */
    private static Method method(String text, String spec) {
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0 && colon < text.length() - 1) {
            for (String kv : text.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new UserError("variant '" + spec + "': '" + kv + "' is not key=value");
                params.put(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT), kv.substring(eq + 1).trim());
            }
        }
        Methods.Entry entry = Methods.byName(name);
        if (entry == null) {
            throw new UserError("unknown variant '" + name + "' in '" + spec + "': use " + String.join(", ", Methods.names()));
        }
        SpecParams p = new SpecParams(spec, params);
        Method m = entry.parser().apply(p);
        p.rejectUnused();
        return m;
    }

    /** A number as a spec writes it, without a trailing ".0": 0.5, 2, 0. */
    public static String number(double x) {
        String s = String.valueOf(x);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
