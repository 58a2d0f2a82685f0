package org.attnbench.models;

/**
 * The names every denoiser's graph takes and gives, whatever the network (UNet, PixArt, SD3, Flux),
 * so that one denoising loop drives them all; and the latent grid's scale.
 */
public final class DenoiserIO {
    /** The noisy latents [B, C, h, w]. */
    public static final String SAMPLE = "sample";
    /** The timestep [B], on the scheduler's scale. */
    public static final String TIMESTEP = "timestep";
    /** The prompt's text states [B, L, D]. */
    public static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";
    /** A pooled text embedding [B, D'] (SDXL, SD3, Flux). */
    public static final String TEXT_EMBEDS = "text_embeds";
    /** SDXL's size ids [B, 6]. */
    public static final String TIME_IDS = "time_ids";
    /** Flux.1-dev's guidance scale, an input of the model rather than a second batch entry. */
    public static final String GUIDANCE = "guidance";
    /** PixArt's caption mask [B, L] int64 (1 keep, 0 pad), diffusers' {@code encoder_attention_mask}. */
    public static final String ENCODER_ATTENTION_MASK = "encoder_attention_mask";
    /** The prediction [B, C', h, w]: noise, velocity or sample, as the model was trained. */
    public static final String OUT_SAMPLE = "out_sample";
    /** Pixels per latent cell (the VAE's downsampling). */
    public static final int VAE_FACTOR = 8;

    private DenoiserIO() {}
}
