package org.attnbench.models.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;

/**
 * Where a network's graph builder computes an attention module, the cut {@link GraphForm.ModuleOutputs}
 * asks for: the module as usual, its outputs also given as graph outputs when the form keeps it, or
 * taken from graph inputs instead of computed when the form gives it. It lists every module it saw,
 * which is how a network tells the methods which modules it has.
 */
public final class ModuleCut {
    private final GraphBuilder g;
    private final Set<String> kept;
    private final Set<String> given;
    private final List<AttentionModule> seen = new ArrayList<>();

    /** The cut of {@code form}; any other form computes every module and carries nothing. */
    public ModuleCut(GraphBuilder g, GraphForm form) {
        this.g = g;
        this.kept = form instanceof GraphForm.ModuleOutputs m ? m.kept() : Set.of();
        this.given = form instanceof GraphForm.ModuleOutputs m ? m.given() : Set.of();
    }

    /** A module with one output, shaped as {@code shape}. */
    public Value attention(String name, boolean crossAttention, long[] shape, Supplier<Value> compute) {
        return attention(name, crossAttention, new long[][] {shape}, () -> new Value[] {compute.get()})[0];
    }

    /** A module with an output per shape (image tokens, then text tokens), computed by {@code compute} unless given. */
    public Value[] attention(String name, boolean crossAttention, long[][] shapes, Supplier<Value[]> compute) {
        seen.add(new AttentionModule(name, crossAttention, shapes.length));
        Value[] out = new Value[shapes.length];
        if (given.contains(name)) {
            for (int i = 0; i < shapes.length; i++) out[i] = g.input(GraphForm.ModuleOutputs.tensor(name, i), DType.FLOAT32, shapes[i]);
            return out;
        }
        out = compute.get();
        if (kept.contains(name)) {
            for (int i = 0; i < shapes.length; i++) g.output(GraphForm.ModuleOutputs.tensor(name, i), out[i]);
        }
        return out;
    }

    /** Every module seen, in the order the graph computes them. */
    public List<AttentionModule> modules() {
        return List.copyOf(seen);
    }

    /** A UserError naming a module the form asks for that the network does not have. */
    public void checkAll(String network) {
        Set<String> missing = new TreeSet<>(kept);
        missing.addAll(given);
        seen.forEach(m -> missing.remove(m.name()));
        if (!missing.isEmpty()) {
            throw new UserError(network + " has no attention module " + String.join(", ", missing) + " (it has "
                    + seen.size() + ", e.g. " + (seen.isEmpty() ? "none" : seen.get(0).name()) + ")");
        }
    }
}
