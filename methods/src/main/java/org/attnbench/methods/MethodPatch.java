package org.attnbench.methods;

import java.util.function.IntFunction;
import org.attnbench.models.attention.BlockMethod;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.attention.TokenPatch;

/**
 * A token method as the graphs hold it at one phase of its schedule: the block method it gives
 * each depth.
 *
 * @param phase the phase's name in graph names ({@code secondary}), or null for a method without a schedule
 *     and for the first phase of one
 * @param describe the method and where its schedule stands, in one line
 */
public record MethodPatch(TokenMethod method, String phase, String describe, IntFunction<BlockMethod> byDepth)
        implements TokenPatch {
    /** A method without a schedule: the same block method at every depth up to {@code deepest}, the network's own below. */
    public static MethodPatch upTo(TokenMethod method, BlockMethod block, int deepest, String describe) {
        return new MethodPatch(method, null, describe, d -> d <= deepest ? block : BlockMethod.unpatched(method.kernel()));
    }

    public Kernel kernel() {
        return method.kernel();
    }

    public BlockMethod atBlock(int downsample) {
        return byDepth.apply(downsample);
    }

    public boolean fits(int h, int w, boolean levels) {
        return method.fits(h, w, levels);
    }

    public String name() {
        return method.canonical() + (phase == null ? "" : "_" + phase);
    }
}
