package org.attnbench.models.unet;

import org.attnbench.models.attention.VariantSpec;

/**
 * Which attention fragment each transformer block of a UNet gets, chosen per block as the
 * reference code patches diffusers: by the block's depth, {@code downsample} = ceil(sqrt(N0 / N))
 * (1 at full latent resolution, 2 one level down, ...).
 *
 * <ul>
 *   <li>ToDo (its {@code patch_attention_proc}): attn1 only, by {@link #atTimestep phase}.
 *       <ul>
 *         <li>Primary (t/1000 > {@code switch}): keys and values downsampled, at downsample 1 by
 *             {@code factor} and at 2 by {@code factor_level_2} when it is above 1.</li>
 *         <li>Secondary ({@code stop} < t/1000 <= {@code switch}): the key/value source merged
 *             ToMe-style, matched on attn1's own input norm1(x), at downsample 1 with {@code ratio}
 *             and at 2 with {@code ratio_level_2}. The reference runs the level-2 merge whatever
 *             {@code factor_level_2} is: its level-2 branch only gates the downsampling on the factor.</li>
 *         <li>Off (t/1000 <= {@code stop}): dense.</li>
 *       </ul>
 *       The reference names the level by attn1's width (320 and 640, SD 1.x/2.x); the token count
 *       names the same blocks there and also fits other widths.</li>
 *   <li>ToMe (tomesd): blocks with downsample <= {@code max_downsample}; the merge is computed once
 *       per block from its input x and wraps attn1 ({@code merge_attn}), attn2 ({@code merge_crossattn})
 *       and the feed-forward ({@code merge_mlp}).</li>
 *   <li>tome-kv: attn1's key/value source merged (matched on norm1(x)), at downsample <= {@code max_downsample}.</li>
 * </ul>
 * The dense kernel of the spec (matmul, slice, fused) applies to every attention: attn1 and attn2
 * of every block, the mid block included.
 */
public final class UNetPatch {
    /** Where a ToDo schedule stands at a timestep; other variants are always PRIMARY. */
    public enum Phase { PRIMARY, SECONDARY, OFF }

    private final VariantSpec spec;
    private final Phase phase;

    private UNetPatch(VariantSpec spec, Phase phase) {
        this.spec = spec;
        this.phase = phase;
    }

    public static UNetPatch of(VariantSpec spec) {
        return new UNetPatch(spec, Phase.PRIMARY);
    }

    public VariantSpec spec() {
        return spec;
    }

    public Phase phase() {
        return phase;
    }

    public VariantSpec.Kernel kernel() {
        return spec.kernel();
    }

    /**
     * The patch in effect at timestep t (0..999): for ToDo the primary method while t/1000 > switch,
     * the secondary while t/1000 > stop, dense after that. Other variants have no schedule and
     * return themselves.
     */
    public UNetPatch atTimestep(double t) {
        if (!(spec instanceof VariantSpec.Todo todo)) return this;
        double x = t / 1000.0;
        Phase at = x > todo.switchAt() ? Phase.PRIMARY : x > todo.stopAt() ? Phase.SECONDARY : Phase.OFF;
        return at == phase ? this : new UNetPatch(spec, at);
    }

    /** attn1's variant for a transformer block at {@code downsample}: the spec where it applies, else dense. */
    VariantSpec selfAttention(int downsample) {
        VariantSpec dense = new VariantSpec.Dense(spec.kernel());
        if (spec instanceof VariantSpec.Todo t) {
            return switch (phase) {
                case PRIMARY -> downsample == 1 ? t : downsample == 2 && t.factorLevel2() > 1 ? t.withFactor(t.factorLevel2()) : dense;
                case SECONDARY -> downsample == 1 ? t.secondaryAt(t.secondary().ratio())
                        : downsample == 2 ? t.secondaryAt(t.secondary().ratioLevel2()) : dense;
                case OFF -> dense;
            };
        }
        if (spec instanceof VariantSpec.Tome t && downsample <= t.maxDownsample()) return t;
        return dense;
    }

    /** ToMe's whole-block merge at {@code downsample}, or null where tokens are not merged around sub-blocks. */
    VariantSpec.Tome blockMerge(int downsample) {
        return spec instanceof VariantSpec.Tome t && !t.kvOnly() && downsample <= t.maxDownsample() ? t : null;
    }

    /** The spec, and for ToDo its phase and schedule, in one line. */
    public String describe() {
        if (spec instanceof VariantSpec.Todo t) {
            VariantSpec.Secondary s = t.secondary();
            String now = switch (phase) {
                case PRIMARY -> "downsampling: level 1 factor " + t.factor() + ", level 2 "
                        + (t.factorLevel2() > 1 ? "factor " + t.factorLevel2() : "dense");
                case SECONDARY -> "similarity merge of keys/values: level 1 ratio " + s.ratio() + ", level 2 ratio "
                        + s.ratioLevel2();
                case OFF -> "dense";
            };
            return spec.canonical() + " [" + now + "; schedule: secondary for t/1000 <= " + t.switchAt()
                    + ", dense for t/1000 <= " + t.stopAt() + "]";
        }
        if (spec instanceof VariantSpec.Tome t) {
            return spec.canonical() + " (blocks with downsample <= " + t.maxDownsample() + ")";
        }
        return spec.canonical();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetPatch p && p.spec.equals(spec) && p.phase == phase;
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + phase.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
