package org.attnbench.methods.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.attnbench.core.UserError;
import org.attnbench.methods.SpecParams;
import org.attnbench.models.diffusion.AttentionModule;
import org.attnbench.models.diffusion.Denoiser;
import org.attnbench.models.diffusion.GraphForm.ModuleOutputs;
import org.attnbench.tensor.HostTensor;

/**
 * What the methods that carry attention modules' outputs across steps (TaylorSeer, pyramid attention
 * broadcast) share: modules chosen by regular expression over diffusers' module names, as the
 * reference hooks choose them, and the module outputs a {@link ModuleOutputs} graph gives.
 *
 * <p>A spec holds one expression per key: the reference's list of patterns is written as their
 * alternation ({@code a|b}), which full-matches (and searches) exactly what any of them does. Java's
 * and Python's expressions agree on the usual syntax (classes, {@code \d}, {@code .*}, anchors); a
 * spec cannot hold ',' or '+', which separate keys and methods.
 */
final class HookedModules {
    private HookedModules() {}

    /** The key's expression, or a UserError naming the key. */
    static Pattern pattern(SpecParams p, String key, String expression) {
        try {
            return Pattern.compile(expression);
        } catch (PatternSyntaxException e) {
            throw p.bad(key, expression, "a regular expression (" + e.getDescription() + ")");
        }
    }

    /** Whether {@code expression} matches all of the name, as Python's re.fullmatch. */
    static boolean fullMatch(String expression, String name) {
        return Pattern.compile(expression).matcher(name).matches();
    }

    /** Whether {@code expression} matches somewhere in the name, as Python's re.search. */
    static boolean search(String expression, String name) {
        return Pattern.compile(expression).matcher(name).find();
    }

    /** The network's attention modules by name. */
    static Map<String, AttentionModule> attentions(Denoiser model) {
        Map<String, AttentionModule> out = new LinkedHashMap<>();
        for (AttentionModule m : model.attentionModules()) out.put(m.name(), m);
        return out;
    }

    /**
     * Every module name of the network that holds a weight (each dotted prefix of a weight's name)
     * and the model itself (""), which is what {@code named_modules()} lists but for modules
     * without parameters.
     */
    static Set<String> moduleNames(Denoiser model) {
        Set<String> out = new TreeSet<>();
        out.add("");
        for (String weight : model.expectedWeights().keySet()) {
            for (int dot = weight.indexOf('.'); dot > 0; dot = weight.indexOf('.', dot + 1)) out.add(weight.substring(0, dot));
        }
        return out;
    }

    /** The module a {@link ModuleOutputs} tensor belongs to, or null for another output. */
    static String moduleOf(String tensor) {
        if (!tensor.startsWith(ModuleOutputs.PREFIX)) return null;
        String rest = tensor.substring(ModuleOutputs.PREFIX.length());
        int hash = rest.indexOf('#');
        return hash < 0 ? rest : rest.substring(0, hash);
    }

    /** The module outputs among a graph's outputs, by tensor name. */
    static Map<String, HostTensor> outputs(Map<String, HostTensor> graphOutputs) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        graphOutputs.forEach((name, t) -> {
            if (moduleOf(name) != null) out.put(name, t);
        });
        return out;
    }

    /** A UserError unless the network carries module outputs at all. */
    static void checkOffered(String method, Denoiser model) {
        if (model.attentionModules().isEmpty()) {
            throw new UserError(method + " carries attention outputs across steps, which " + model.name() + " ("
                    + model.modelClass() + ") does not offer");
        }
    }
}
