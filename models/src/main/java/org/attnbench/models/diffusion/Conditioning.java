package org.attnbench.models.diffusion;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.attnbench.core.UserError;
import org.attnbench.models.DenoiserIO;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.tensor.HostTensor;

/**
 * What a UNet or a DiT is conditioned on, for the prompt and (for classifier-free guidance) the
 * negative prompt: text-encoder states [1, L, D] of any length L (CLIP's 77 for a UNet; PixArt: T5's;
 * SD3: CLIP's 77 then T5's; Flux: T5's), for PixArt the caption mask [1, L] (1 keep, 0 pad), for
 * SDXL, SD3 and Flux the pooled text embedding ([1, 1280]; SD3 [1, 2048]; Flux [1, 768]) and, for
 * SDXL, the size ids [H, W, 0, 0, H, W] (original size, crop origin, target size). No text encoder
 * runs here: states come from a file ({@link PromptFile}: {@code encode-prompts}' layout or the
 * older {@code cond}/{@code uncond} one), from host tensors of that layout ({@link #encoded}), or
 * from a seeded N(0, 1) draw.
 */
public final class Conditioning {
    public static final int TOKENS = UNetGraph.TEXT_TOKENS;

    private final float[] cond;
    private final float[] uncond;
    private final int dim;
    private final String source;
    private final float[] pooled;
    /** The negative prompt's pooled embedding; null: zeros. */
    private final float[] uncondPooled;
    private final float[] timeIds;
    /** Caption masks [L] of the prompt and the negative prompt; null: the model takes none. */
    private final long[] mask;
    private final long[] uncondMask;
    /** The tensors' names and shapes as a message names them ("embeddings 'cond' in F have shape [1, 77, 768]"); null when seeded. */
    private final Labels labels;

    /** What a width check says of the states and of the pooled embedding. */
    record Labels(String states, String pooled) {}

    Conditioning(float[] cond, float[] uncond, int dim, String source, float[] pooled, float[] uncondPooled,
            float[] timeIds, long[] mask, long[] uncondMask, Labels labels) {
        this.labels = labels;
        this.cond = cond;
        this.uncond = uncond;
        this.dim = dim;
        this.source = source;
        this.pooled = pooled;
        this.uncondPooled = uncondPooled;
        this.timeIds = timeIds;
        this.mask = mask;
        this.uncondMask = uncondMask;
    }

    /**
     * A UNet's conditioning as every command and cell seeds it from one seed (the initial latents
     * take the seed itself): prompt states from seed + 1, then {@link #forModel}.
     */
    public static Conditioning seeded(UNetConfig config, ImageSize size, long seed) {
        return random(seed + 1, config.crossAttentionDim()).forModel(config, size, seed);
    }

    /**
     * For a UNet: states of its cross-attention width (checked), and what it takes besides: SDXL's
     * size ids, and its pooled embedding from seed + 2 unless the prompt brought one
     * ({@link #withSdxlInputs}); no masks, and no pooled embedding for the others.
     */
    public Conditioning forModel(UNetConfig config, ImageSize size, long seed) {
        checkWidth(config.crossAttentionDim());
        if (!config.addTextTime()) return new Conditioning(cond, uncond, dim, source, null, null, null, null, null, labels);
        if (pooled == null) return withSdxlInputs(seed + 2, config.textEmbedsDim(), size.height(), size.width());
        checkPooled(config.textEmbedsDim());
        return new Conditioning(cond, uncond, dim, source, pooled, uncondPooled, sizeIds(size.height(), size.width()), null, null, labels);
    }

    /** Seeded N(0, 1) prompt states of CLIP's 77 tokens; the empty prompt's states are zeros. */
    public static Conditioning random(long seed, int dim) {
        return random(seed, TOKENS, dim);
    }

    /** Seeded N(0, 1) prompt states of {@code tokens} tokens (PixArt-Σ: 300 T5 tokens); the empty prompt's are zeros. */
    public static Conditioning random(long seed, int tokens, int dim) {
        return new Conditioning(gaussian(new Random(seed), tokens * dim), new float[tokens * dim], dim,
                "random seed " + seed, null, null, null, null, null, null);
    }

    /**
     * Prompt {@code index} of the tensors {@code encode-prompts} writes, by the pipelines' own names:
     * {@code prompt_embeds} and {@code negative_prompt_embeds} [P, L, D], {@code pooled_prompt_embeds}
     * and {@code negative_pooled_prompt_embeds} [P, D'], {@code prompt_attention_mask} and
     * {@code negative_prompt_attention_mask} [P, L] (PixArt); {@code input_ids*} are ignored. Tensors
     * a model does not take are dropped when a {@link Denoiser} fits it ({@link Denoiser#fit}).
     */
    public static Conditioning encoded(Map<String, HostTensor> tensors, int index, String source) {
        return PromptFile.encoded(tensors, index, source);
    }

    /** Prompt {@code index} of an embeddings file, in either layout ({@link PromptFile}). */
    public static Conditioning read(Path file, int index) {
        return PromptFile.read(file, index);
    }

    /**
     * SDXL's extra inputs: a seeded N(0, 1) pooled embedding of width pooledDim for the prompt
     * (zeros for the empty prompt) and the size ids of an uncropped image of heightPx x widthPx.
     */
    public Conditioning withSdxlInputs(long seed, int pooledDim, int heightPx, int widthPx) {
        return new Conditioning(cond, uncond, dim, source, gaussian(new Random(seed), pooledDim), null,
                sizeIds(heightPx, widthPx), null, null, labels);
    }

    /** SD3's pooled text embedding: seeded N(0, 1) of width pooledDim for the prompt, zeros for the empty prompt; no size ids. */
    public Conditioning withPooled(long seed, int pooledDim) {
        return new Conditioning(cond, uncond, dim, source, gaussian(new Random(seed), pooledDim), null, null, null, null, labels);
    }

    /**
     * For a model with a pooled embedding of {@code pooledDim} (SD3, Flux): the states of width
     * {@code width} and the pooled embedding, both checked; no masks. A UserError names what is wrong.
     */
    Conditioning forPooledModel(int width, int pooledDim) {
        checkWidth(width);
        if (pooled == null) {
            throw new UserError(source + " has no pooled text embedding: the model also takes one of width " + pooledDim
                    + " ('" + PromptFile.POOLED_PROMPT_EMBEDS + "', or 'pooled' in the older layout)");
        }
        checkPooled(pooledDim);
        return new Conditioning(cond, uncond, dim, source, pooled, uncondPooled, null, null, null, labels);
    }

    /** For PixArt: states of width {@code width} and the caption masks (all ones when the prompt brought none); no pooled embedding. */
    Conditioning forMaskedModel(int width) {
        checkWidth(width);
        long[] ones = new long[tokens()];
        Arrays.fill(ones, 1);
        return new Conditioning(cond, uncond, dim, source, null, null, null, mask == null ? ones : mask,
                uncondMask == null ? ones : uncondMask, labels);
    }

    private void checkWidth(int width) {
        if (dim != width) {
            throw new UserError(label(true) + ", expected width " + width + " (any prompt length, the model's width)");
        }
    }

    private void checkPooled(int width) {
        if (pooled.length != width) throw new UserError(label(false) + ", expected width " + width + " (the model's pooled width)");
    }

    private String label(boolean states) {
        if (labels == null) return (states ? "prompt states of width " + dim : "a pooled embedding of width " + pooled.length) + " from " + source;
        return states ? labels.states() : labels.pooled();
    }

    private static float[] sizeIds(int heightPx, int widthPx) {
        return new float[] {heightPx, widthPx, 0, 0, heightPx, widthPx};
    }

    /** Where the prompt states came from: "random seed N" or the file (and the prompt's index in it). */
    public String source() {
        return source;
    }

    /** The prompt's length in tokens (L): the length the model's graph is built for. */
    public int tokens() {
        return cond.length / dim;
    }

    /** The width of the prompt states (D). */
    public int dim() {
        return dim;
    }

    /**
     * The conditioning inputs of a model run: batch 1 is the prompt alone; batch 2 is
     * (negative prompt, prompt), the order diffusers uses for classifier-free guidance.
     */
    public Map<String, HostTensor> inputs(int batch) {
        if (batch != 1 && batch != 2) throw new IllegalArgumentException("batch must be 1 or 2, got " + batch);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(DenoiserIO.ENCODER_HIDDEN_STATES, HostTensor.of(batch == 1 ? cond : concat(uncond, cond), batch, tokens(), dim));
        if (mask != null) {
            long[] both = Arrays.copyOf(uncondMask, 2 * mask.length);
            System.arraycopy(mask, 0, both, mask.length, mask.length);
            in.put(DenoiserIO.ENCODER_ATTENTION_MASK, HostTensor.of(batch == 1 ? mask : both, batch, mask.length));
        }
        if (pooled != null) {
            float[] none = uncondPooled != null ? uncondPooled : new float[pooled.length];
            in.put(DenoiserIO.TEXT_EMBEDS, HostTensor.of(batch == 1 ? pooled : concat(none, pooled), batch, pooled.length));
        }
        if (timeIds != null) {
            in.put(DenoiserIO.TIME_IDS, HostTensor.of(batch == 1 ? timeIds : concat(timeIds, timeIds), batch, timeIds.length));
        }
        return in;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
