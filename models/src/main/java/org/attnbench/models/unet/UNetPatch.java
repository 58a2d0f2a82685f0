package org.attnbench.models.unet;

import org.attnbench.models.attention.VariantSpec.Phase;
import org.attnbench.models.attention.VariantSpec;

/**
 * A method as it stands at one timestep of a denoising loop, patched into every transformer block
 * of a UNet: each block gets what {@link VariantSpec#atBlock} says for its depth, {@code downsample}
 * = ceil(sqrt(N0 / N)) (1 at full latent resolution, 2 one level down, ...), as the reference code
 * patches diffusers. Patches in different phases of a schedule are different graphs. The kernel of
 * the spec (matmul, slice, fused) applies to every attention: attn1 and attn2 of every block, the
 * mid block included.
 */
public final class UNetPatch {
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

    /** The patch in effect at timestep t (0..999); itself for a method without a schedule. */
    public UNetPatch atTimestep(double t) {
        Phase at = spec.phaseAt(t);
        return at == phase ? this : new UNetPatch(spec, at);
    }

    /** The method of a transformer block at {@code downsample} (1 for every block of a DiT). */
    public VariantSpec atBlock(int downsample) {
        return spec.atBlock(downsample, phase);
    }

    /** The spec, and for a scheduled method its phase and schedule, in one line. */
    public String describe() {
        return spec.describe(phase);
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
