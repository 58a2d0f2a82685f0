package org.attnbench.methods;

/**
 * An acceleration method with its parameters, as users write it and reports name it. Every method
 * is one of two kinds: a {@link TokenMethod} cuts the work inside a step, a cross-step method the
 * work across steps; a {@link Variant} holds at most one of each.
 */
public interface Method {
    /** The canonical spelling, stable across runs (cell ids, reports): every key, defaults written out where they matter. */
    String canonical();

    /** The method's name as users write it: dense, todo, tome, tome-kv. */
    String family();

    /** A short name for charts and tables: "ToDo f=2", "ToMe r=0.5 [fused]". */
    String label();
}
