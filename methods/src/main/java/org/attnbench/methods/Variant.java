package org.attnbench.methods;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.methods.step.EveryStep;
import org.attnbench.methods.token.Dense;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.diffusion.Denoiser;

/**
 * A variant as users write it on the CLI and in YAML ({@code dense}, {@code dense:kernel=fused},
 * {@code todo:factor=2,method=nearest}, {@code tome:ratio=0.5}, {@code deepcache:cache_interval=3}),
 * parsed once into its methods: the typed value that cells carry, that crosses to a forked JVM and
 * whose label, family and parameters reach the rows the reports read.
 *
 * <p>A variant is a token method, a cross-step method, or one of each joined by {@code +}
 * ({@code todo:factor=2+deepcache:cache_interval=3}). Stacked, the cross-step method's plan decides
 * at every step which graphs run and what carries over, and every graph it runs holds the token
 * method's patch for that step's timestep (ToDo's phase follows the loop's timestep whether or not a
 * step reuses an earlier one's work), so what a step reuses was computed under the token method too.
 * That is how the reference code composes them (ToDo's processors stay in the attention modules that
 * DeepCache's helper wraps), and it does not depend on the order written: the canonical spelling
 * puts the token method first, and leaves out plain dense attention on the default kernel.
 */
public record Variant(TokenMethod tokens, StepMethod steps) {
    public Variant {
        if (tokens == null) throw new IllegalArgumentException("a variant needs a token method");
    }

    /** A token method alone. */
    public Variant(TokenMethod tokens) {
        this(tokens, null);
    }

    /** Parses a spec; every mistake is a {@link UserError} naming the key and the allowed values. */
    public static Variant parse(String spec) {
        TokenMethod tokens = null;
        StepMethod steps = null;
        for (String part : parts(spec.trim())) {
            if (part.isBlank()) throw new UserError("variant '" + spec + "': an empty method around '+'");
            Method m = method(part.trim(), spec);
            if (m instanceof TokenMethod t) {
                if (tokens != null) throw new UserError("variant '" + spec + "': two token methods (" + tokens.family() + ", "
                        + t.family() + "); stack at most one with one cross-step method");
                tokens = t;
            } else {
                StepMethod s = (StepMethod) m;
                if (steps != null) throw new UserError("variant '" + spec + "': two cross-step methods (" + steps.family() + ", "
                        + s.family() + "); stack at most one with one token method");
                steps = s;
            }
        }
        return new Variant(tokens == null ? new Dense(Kernel.MATMUL) : tokens, steps);
    }

    /** The canonical spelling, stable across runs (used in cell ids and reports). */
    public String canonical() {
        if (steps == null) return tokens.canonical();
        return (plainTokens() ? "" : tokens.canonical() + "+") + steps.canonical();
    }

    /** The methods' names as users write them: dense, todo, tome, tome-kv, deepcache, todo+deepcache. */
    public String family() {
        if (steps == null) return tokens.family();
        return (isDenseTokens() ? "" : tokens.family() + "+") + steps.family();
    }

    /** A short name for charts and tables: "ToDo f=2", "ToDo f=2 + DeepCache N=3". */
    public String label() {
        if (steps == null) return tokens.label();
        return (isDenseTokens() ? "" : tokens.label() + " + ") + steps.label() + (isDenseTokens() ? tokens.kernel().labelSuffix() : "");
    }

    /** A UserError, in one line, unless every method of the variant applies to the model. */
    public void check(Denoiser model) {
        if (steps != null) steps.check(model);
    }

    /** What the loop asks at every step over these timesteps: the cross-step method's plan, or the whole model at each. */
    public StepPlan plan(Denoiser model, double[] timesteps) {
        return steps == null ? new EveryStep(tokens, timesteps) : steps.plan(model, tokens, timesteps);
    }

    private boolean isDenseTokens() {
        return tokens instanceof Dense;
    }

    private boolean plainTokens() {
        return isDenseTokens() && tokens.kernel().equals(Kernel.MATMUL);
    }

    public Kernel kernel() {
        return tokens.kernel();
    }

    /** Whether this is plain attention at every step, on whatever kernel. */
    public boolean isDense() {
        return steps == null && isDenseTokens();
    }

    /** The same variant on another kernel. */
    public Variant withKernel(Kernel kernel) {
        return new Variant(tokens.withKernel(kernel), steps);
    }

    /** Whether it leaves tokens on an h x w grid (see {@link org.attnbench.models.attention.TokenPatch#fits}). */
    public boolean fits(int h, int w, boolean levels) {
        return tokens.fits(h, w, levels);
    }

    /** The parameters as the canonical spec lists them, key to value (every method's), for result rows. */
    public Map<String, String> params() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : parts(canonical())) {
            int colon = part.indexOf(':');
            if (colon < 0) continue;
            for (String kv : part.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return canonical();
    }

    /**
     * The methods of a spec: split at every '+' that a method follows (a name, then ':' or nothing),
     * so that a regular expression's '+' ({@code \\d+}, at the end too) stays inside its key's value.
     */
    static java.util.List<String> parts(String spec) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String piece : spec.split("\\+", -1)) {
            String last = out.isEmpty() ? null : out.get(out.size() - 1);
            boolean starts = last == null || METHOD_START.matcher(piece).matches() || (piece.isBlank() && !last.contains("="));
            if (starts) out.add(piece);
            else out.set(out.size() - 1, last + "+" + piece);
        }
        return out;
    }

    private static final java.util.regex.Pattern METHOD_START = java.util.regex.Pattern.compile("\\s*[A-Za-z][\\w-]*\\s*(:.*)?");

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
