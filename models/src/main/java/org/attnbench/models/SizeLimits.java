package org.attnbench.models;

import org.attnbench.core.UserError;

/**
 * The largest sizes a config or a flag may ask for, checked before anything is built: without
 * them a mistyped {@code num_layers: 2000000000} builds for hours and an image side of 2^31
 * overflows the shapes. Each is far above every real model (Flux.1 and SD 3.5 large sample 1-2
 * megapixels, PixArt-Σ 4096 px; Flux has 57 blocks and 24 heads of 128, SD 3.5 large 38 blocks
 * and heads, T5's states are 4096 wide), and the memory estimate refuses what a device cannot hold.
 */
public final class SizeLimits {
    /** An image side in pixels: 16384 (a 2048 x 2048 latent), four times PixArt-Σ 4K's. */
    public static final int IMAGE_SIDE_PX = 16384;
    /** A latent grid's side (an attention block's, a config's sample_size): a 16384 px image's. */
    public static final int GRID_SIDE = IMAGE_SIDE_PX / 8;
    /** Every hidden or embedding width of a model config. */
    public static final int WIDTH = 65536;
    /**
     * The channels of a single attention block (the {@code attention} command and workload), whose
     * weights are drawn even to estimate its memory: Flux.1's 3072 is the widest real one.
     */
    public static final int ATTENTION_CHANNELS = 4096;
    /** Attention heads (SD 3.5 large has 38, Flux.1 24). */
    public static final int HEADS = 256;
    /** A head's width (Flux.1's and SD3's are 128 and 64). */
    public static final int HEAD_DIM = 1024;
    /** Transformer blocks of a model (num_layers and its kind). */
    public static final int BLOCKS = 1024;
    /** Layers within one level or block of a model (layers_per_block, transformer_layers_per_block). */
    public static final int LAYERS_PER_BLOCK = 64;
    /** A UNet's or VAE's levels (block_out_channels entries). */
    public static final int LEVELS = 8;
    /** A patch's side. */
    public static final int PATCH = 64;
    /** Images in one batch. */
    public static final int BATCH = 256;
    /** Denoising steps of one image (the training schedule has 1000 timesteps). */
    public static final int STEPS = 1000;

    private SizeLimits() {}

    /** The largest value a diffusers config.json may give an integer key. */
    public static int forConfigKey(String key) {
        return switch (key) {
            case "num_layers", "num_single_layers" -> BLOCKS;
            case "layers_per_block", "transformer_layers_per_block" -> LAYERS_PER_BLOCK;
            case "num_attention_heads" -> HEADS;
            case "attention_head_dim" -> HEAD_DIM; // a UNet reads it as heads when num_attention_heads is null
            case "patch_size" -> PATCH;
            case "sample_size", "pos_embed_max_size" -> GRID_SIDE;
            default -> WIDTH;
        };
    }

    /** A UserError unless a transformer's width, heads x head dim, is within {@link #WIDTH}. */
    public static void checkWidth(String config, int heads, int headDim) {
        if ((long) heads * headDim > WIDTH) {
            throw new UserError("config " + config + ": num_attention_heads x attention_head_dim = " + (long) heads * headDim
                    + " is beyond attnbench's limit of " + WIDTH + " (Flux.1's width is 3072)");
        }
    }

    /** A UserError naming {@code what} unless {@code value} is in 1..max. */
    public static int check(String what, long value, int max) {
        if (value < 1 || value > max) {
            throw new UserError(what + " " + value + " is out of range: attnbench takes 1 to " + max
                    + " (far above any real model's)");
        }
        return (int) value;
    }
}
