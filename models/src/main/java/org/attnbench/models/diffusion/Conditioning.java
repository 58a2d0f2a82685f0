package org.attnbench.models.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.attnbench.core.UserError;
import org.attnbench.models.unet.ImageSize;
import org.attnbench.models.unet.UNetConfig;
import org.attnbench.models.unet.UNetGraph;
import org.attnbench.safetensors.Safetensors;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * What a UNet or a DiT is conditioned on, for the prompt and (for classifier-free guidance) the
 * empty prompt: text-encoder states [1, 77, D] (PixArt: [1, 300, 4096], T5's; SD3: [1, 333, 4096], CLIP's 77 then
 * T5's 256; Flux: [1, 512, 4096], T5's) and, for SDXL, SD3 and Flux, the pooled text embedding ([1, 1280]; SD3
 * [1, 2048]; Flux [1, 768]) and, for SDXL,
 * the size ids [H, W, 0, 0, H, W] (original size, crop origin, target size). No text encoder runs
 * here: embeddings come from a file or from a seeded N(0, 1) draw.
 */
public final class Conditioning {
    public static final int TOKENS = UNetGraph.TEXT_TOKENS;
    /** Tensor names in an embeddings file. */
    public static final String FILE_COND = "cond";
    public static final String FILE_UNCOND = "uncond";
    public static final String FILE_POOLED = "pooled";
    public static final String FILE_UNCOND_POOLED = "uncond_pooled";

    private final float[] cond;
    private final float[] uncond;
    private final int dim;
    private final String source;
    private final float[] pooled;
    /** The empty prompt's pooled embedding; null: zeros. */
    private final float[] uncondPooled;
    private final float[] timeIds;

    private Conditioning(float[] cond, float[] uncond, int dim, String source, float[] pooled, float[] uncondPooled,
            float[] timeIds) {
        this.cond = cond;
        this.uncond = uncond;
        this.dim = dim;
        this.source = source;
        this.pooled = pooled;
        this.uncondPooled = uncondPooled;
        this.timeIds = timeIds;
    }

    /**
     * A UNet's conditioning as every command and cell seeds it from one seed (the initial latents
     * take the seed itself): prompt states from seed + 1, then {@link #forModel}.
     */
    public static Conditioning seeded(UNetConfig config, ImageSize size, long seed) {
        return random(seed + 1, config.crossAttentionDim()).forModel(config, size, seed);
    }

    /** What the model takes besides prompt states: SDXL's inputs from seed + 2 ({@link #withSdxlInputs}); else itself. */
    public Conditioning forModel(UNetConfig config, ImageSize size, long seed) {
        return config.addTextTime() ? withSdxlInputs(seed + 2, config.textEmbedsDim(), size.height(), size.width()) : this;
    }

    /** Seeded N(0, 1) prompt states of CLIP's 77 tokens; the empty prompt's states are zeros. */
    public static Conditioning random(long seed, int dim) {
        return random(seed, TOKENS, dim);
    }

    /** Seeded N(0, 1) prompt states of {@code tokens} tokens (PixArt-Σ: 300 T5 tokens); the empty prompt's are zeros. */
    public static Conditioning random(long seed, int tokens, int dim) {
        return new Conditioning(gaussian(new Random(seed), tokens * dim), new float[tokens * dim], dim,
                "random seed " + seed, null, null, null);
    }

    /**
     * Prompt states from a safetensors file: tensor {@value #FILE_COND} (or the file's only
     * tensor) [1, 77, D], and {@value #FILE_UNCOND} of the same shape if present, else zeros.
     */
    public static Conditioning read(Path file, int dim) {
        return read(file, TOKENS, dim, 0);
    }

    /**
     * A DiT's prompt states from a safetensors file: {@value #FILE_COND} [1, tokens, D] (or the
     * file's only tensor), optionally {@value #FILE_UNCOND}; with pooledDim above 0 also
     * {@value #FILE_POOLED} [1, pooledDim] and optionally {@value #FILE_UNCOND_POOLED}. Missing
     * empty-prompt tensors are zeros, as in the seeded draw.
     */
    public static Conditioning read(Path file, int tokens, int dim, int pooledDim) {
        if (!Files.isRegularFile(file)) throw new UserError("embeddings file not found: " + file);
        Map<String, HostTensor> t = Safetensors.read(file);
        HostTensor cond = t.get(FILE_COND);
        if (cond == null && t.size() == 1) cond = t.values().iterator().next();
        if (cond == null) {
            throw new UserError(file + " has no tensor '" + FILE_COND + "' (it has " + String.join(", ", t.keySet()) + ")");
        }
        long[] states = {1, tokens, dim};
        String tokensAndWidth = "the model's prompt tokens and width";
        float[] uncond = t.containsKey(FILE_UNCOND) ? floats(file, FILE_UNCOND, t.get(FILE_UNCOND), states, tokensAndWidth)
                : new float[tokens * dim];
        float[] prompt = floats(file, FILE_COND, cond, states, tokensAndWidth);
        if (pooledDim <= 0) return new Conditioning(prompt, uncond, dim, file.toString(), null, null, null);
        long[] pooled = {1, pooledDim};
        if (!t.containsKey(FILE_POOLED)) {
            throw new UserError(file + " has no tensor '" + FILE_POOLED + "': the model also takes a pooled text embedding "
                    + Arrays.toString(pooled));
        }
        String width = "the model's pooled width";
        float[] uncondPooled = t.containsKey(FILE_UNCOND_POOLED)
                ? floats(file, FILE_UNCOND_POOLED, t.get(FILE_UNCOND_POOLED), pooled, width) : new float[pooledDim];
        return new Conditioning(prompt, uncond, dim, file.toString(), floats(file, FILE_POOLED, t.get(FILE_POOLED), pooled, width),
                uncondPooled, null);
    }

    private static float[] floats(Path file, String name, HostTensor t, long[] want, String what) {
        if (!Arrays.equals(t.shape(), want)) {
            throw new UserError("embeddings '" + name + "' in " + file + " have shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(want) + " (" + what + ")");
        }
        if (!t.dtype().isFloatingPoint()) throw new UserError("embeddings '" + name + "' are " + t.dtype() + ", expected floats");
        return t.toDType(DType.FLOAT32).toFloats();
    }

    /**
     * SDXL's extra inputs: a seeded N(0, 1) pooled embedding of width pooledDim for the prompt
     * (zeros for the empty prompt) and the size ids of an uncropped image of heightPx x widthPx.
     */
    public Conditioning withSdxlInputs(long seed, int pooledDim, int heightPx, int widthPx) {
        float[] ids = {heightPx, widthPx, 0, 0, heightPx, widthPx};
        return new Conditioning(cond, uncond, dim, source, gaussian(new Random(seed), pooledDim), null, ids);
    }

    /** SD3's pooled text embedding: seeded N(0, 1) of width pooledDim for the prompt, zeros for the empty prompt; no size ids. */
    public Conditioning withPooled(long seed, int pooledDim) {
        return new Conditioning(cond, uncond, dim, source, gaussian(new Random(seed), pooledDim), null, null);
    }

    /** Where the prompt states came from: "random seed N" or the file. */
    public String source() {
        return source;
    }

    /**
     * The conditioning inputs of a UNet run: batch 1 is the prompt alone; batch 2 is
     * (empty prompt, prompt), the order diffusers uses for classifier-free guidance.
     */
    public Map<String, HostTensor> inputs(int batch) {
        if (batch != 1 && batch != 2) throw new IllegalArgumentException("batch must be 1 or 2, got " + batch);
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(UNetGraph.ENCODER_HIDDEN_STATES, HostTensor.of(batch == 1 ? cond : concat(uncond, cond), batch,
                cond.length / dim, dim));
        if (pooled != null) {
            float[] none = uncondPooled != null ? uncondPooled : new float[pooled.length];
            in.put(UNetGraph.TEXT_EMBEDS, HostTensor.of(batch == 1 ? pooled : concat(none, pooled), batch, pooled.length));
        }
        if (timeIds != null) {
            in.put(UNetGraph.TIME_IDS, HostTensor.of(batch == 1 ? timeIds : concat(timeIds, timeIds), batch, timeIds.length));
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
