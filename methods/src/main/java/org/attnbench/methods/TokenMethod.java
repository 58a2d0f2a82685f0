package org.attnbench.methods;

import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;

/**
 * A method that cuts the work inside a step by changing which tokens the attentions see (dense,
 * ToDo, ToMe): one class that owns its graph rewrite and its float64 twin ({@link
 * org.attnbench.models.attention.BlockMethod}), where in a network they apply ({@link TokenPatch#atBlock}
 * by depth) and, for a method with a timestep schedule, which patch holds at each timestep. Every
 * token method also takes the dense kernel keys ({@code kernel}, {@code slice}), so a gain can be
 * checked on top of a fast kernel.
 */
public interface TokenMethod extends Method {
    /** How the attention core itself is computed, whatever feeds it. */
    Kernel kernel();

    /** What the graphs hold at timestep t (0..999): one patch at every t, unless the method follows a schedule. */
    default TokenPatch patchAt(double timestep) {
        return patch();
    }

    /** The method outside a loop (the single attention block), and where its schedule starts. */
    TokenPatch patch();

    /** The same method on another kernel. */
    TokenMethod withKernel(Kernel kernel);

    /** Whether it leaves tokens on an h x w grid (see {@link TokenPatch#fits}). */
    default boolean fits(int h, int w, boolean levels) {
        return true;
    }
}
