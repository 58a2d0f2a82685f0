package org.attnbench.models.attention;

/**
 * A token method as one graph of a network holds it: for a method with a timestep schedule, at one
 * phase of it. Every transformer block takes the {@link BlockMethod} {@link #atBlock} gives for its
 * depth, {@code downsample} = ceil(sqrt(N0 / N)) (1 at full latent resolution, 2 one level down,
 * ...), as the reference code patches diffusers; a diffusion transformer's blocks are all at 1.
 * The kernel applies to every attention: attn1 and attn2 of every block, the mid block included.
 * The methods implement this; networks only call it.
 */
public interface TokenPatch {
    /** The kernel of every attention of the graph. */
    Kernel kernel();

    /** The method of a transformer block at {@code downsample}: {@link BlockMethod#unpatched} where it does not apply. */
    BlockMethod atBlock(int downsample);

    /**
     * Whether the method leaves tokens on an h x w grid: a diffusion transformer's patch grid, or,
     * with {@code levels}, a UNet's full-resolution latent (then also the levels below that it patches).
     */
    boolean fits(int h, int w, boolean levels);

    /** A short name for graphs and messages: the method's canonical spec, with the phase where it has one. */
    String name();

    /** The spec and, for a scheduled method, where its schedule stands, in one line; equal lines, equal graphs. */
    String describe();

    /** The network as it is: every block {@link BlockMethod#unpatched} on the kernel given. */
    static TokenPatch unpatched(Kernel kernel) {
        return new TokenPatch() {
            public Kernel kernel() {
                return kernel;
            }

            public BlockMethod atBlock(int downsample) {
                return BlockMethod.unpatched(kernel);
            }

            public boolean fits(int h, int w, boolean levels) {
                return true;
            }

            public String name() {
                return "dense" + (kernel.suffix().isEmpty() ? "" : ":" + kernel.suffix().substring(1));
            }

            public String describe() {
                return name();
            }
        };
    }
}
