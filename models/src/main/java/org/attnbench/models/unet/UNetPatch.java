package org.attnbench.models.unet;

import org.attnbench.models.attention.VariantSpec;

/**
 * Which attention fragment each transformer block of a UNet gets, chosen per block exactly as
 * the reference code patches diffusers: by the block's depth, {@code downsample} =
 * ceil(sqrt(N0 / N)) (1 at full latent resolution, 2 one level down, ...).
 *
 * <ul>
 *   <li>ToDo: attn1 only; at downsample 1 with {@code factor}, at 2 with {@code factor_level_2}
 *       when it is above 1; deeper blocks are dense. Its schedule ({@link #atTimestep}) swaps in
 *       tome-kv with {@code secondary_ratio} below {@code switch} and dense at or below {@code stop};
 *       the secondary runs at the same levels as the primary (down to 2 when factor_level_2 > 1).</li>
 *   <li>ToMe (tomesd): blocks with downsample <= {@code max_downsample}; the merge is computed once
 *       per block from its input and wraps attn1 ({@code merge_attn}), attn2 ({@code merge_crossattn})
 *       and the feed-forward ({@code merge_mlp}).</li>
 *   <li>tome-kv: attn1's key/value source merged, at downsample <= {@code max_downsample}.</li>
 * </ul>
 * The dense kernel of the spec (matmul, slice, fused) applies to every attention: attn1 and attn2
 * of every block, the mid block included.
 */
public final class UNetPatch {
    private final VariantSpec spec;

    private UNetPatch(VariantSpec spec) {
        this.spec = spec;
    }

    public static UNetPatch of(VariantSpec spec) {
        return new UNetPatch(spec);
    }

    public VariantSpec spec() {
        return spec;
    }

    public VariantSpec.Kernel kernel() {
        return spec.kernel();
    }

    /**
     * The patch in effect at timestep t (0..999): ToDo's primary method while t/1000 > switch,
     * tome-kv with secondary_ratio while t/1000 > stop, dense with the same kernel after that.
     * Other variants have no schedule and return themselves.
     */
    public UNetPatch atTimestep(double t) {
        if (!(spec instanceof VariantSpec.Todo todo)) return this;
        double x = t / 1000.0;
        if (x > todo.switchAt()) return this;
        if (x > todo.stopAt()) {
            return of(new VariantSpec.Tome(todo.secondaryRatio(), 2, 2, true, 0, true, todo.kernel(),
                    todo.factorLevel2() > 1 ? 2 : 1, true, false, false));
        }
        return of(new VariantSpec.Dense(todo.kernel()));
    }

    /** attn1's variant for a transformer block at {@code downsample}: the spec where it applies, else dense. */
    VariantSpec selfAttention(int downsample) {
        if (spec instanceof VariantSpec.Todo t) {
            if (downsample == 1) return t;
            if (downsample == 2 && t.factorLevel2() > 1) return new VariantSpec.Todo(t.factorLevel2(), t.method(), t.kernel());
        } else if (spec instanceof VariantSpec.Tome t && downsample <= t.maxDownsample()) {
            return t;
        }
        return new VariantSpec.Dense(spec.kernel());
    }

    /** ToMe's whole-block merge at {@code downsample}, or null where tokens are not merged around sub-blocks. */
    VariantSpec.Tome blockMerge(int downsample) {
        return spec instanceof VariantSpec.Tome t && !t.kvOnly() && downsample <= t.maxDownsample() ? t : null;
    }

    /** The spec, and for ToDo its schedule, in one line. */
    public String describe() {
        if (spec instanceof VariantSpec.Todo t) {
            return spec.canonical() + " (level 1 factor " + t.factor() + ", level 2 "
                    + (t.factorLevel2() > 1 ? "factor " + t.factorLevel2() : "dense") + "; tome-kv ratio "
                    + t.secondaryRatio() + " for t/1000 <= " + t.switchAt() + ", dense for t/1000 <= " + t.stopAt() + ")";
        }
        if (spec instanceof VariantSpec.Tome t) {
            return spec.canonical() + " (blocks with downsample <= " + t.maxDownsample() + ")";
        }
        return spec.canonical();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetPatch p && p.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
