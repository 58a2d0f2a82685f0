package org.attnbench.models.dit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors an {@code SD3Transformer2DModel} checkpoint holds, by diffusers name, from its config
 * alone: the parameters, and the one buffer it saves, the
 * position table {@code pos_embed.pos_embed} that the patch embedding crops to the image.
 *
 * <p>Per joint block: the image stream's AdaLayerNormZero (6 x dim modulations; 9 x dim with dual
 * attention), the text stream's (or, in the last block, whose text output is unused, an
 * AdaLayerNormContinuous of 2 x dim), the joint attention (q, k, v and output for each stream; the
 * last block has no text output projection), with dual attention a second, image-only attention,
 * then each stream's GELU-tanh feed-forward (4 x dim; none for text in the last block). With q/k
 * RMSNorm every attention has a per-head-dim scale for its queries and keys of each stream.
 */
public final class SD3Weights {
    /** The saved position table's name. */
    public static final String POS_EMBED = "pos_embed.pos_embed";
    private final SD3Config c;
    private final Map<String, long[]> parameters = new LinkedHashMap<>();

    private SD3Weights(SD3Config c) {
        this.c = c;
    }

    /** Every parameter, name to shape. */
    public static Map<String, long[]> parameters(SD3Config c) {
        SD3Weights w = new SD3Weights(c);
        w.list();
        return w.parameters;
    }

    /** The saved buffers: the position table, [1, max^2, dim]. */
    public static Map<String, long[]> buffers(SD3Config c) {
        long cells = (long) c.posEmbedMaxSize() * c.posEmbedMaxSize();
        return Map.of(POS_EMBED, new long[] {1, cells, c.dim()});
    }

    private void list() {
        int d = c.dim();
        int p = c.patchSize();
        parameters.put("pos_embed.proj.weight", new long[] {d, c.inChannels(), p, p});
        parameters.put("pos_embed.proj.bias", new long[] {d});
        linear("time_text_embed.timestep_embedder.linear_1", 256, d);
        linear("time_text_embed.timestep_embedder.linear_2", d, d);
        linear("time_text_embed.text_embedder.linear_1", c.pooledProjectionDim(), d);
        linear("time_text_embed.text_embedder.linear_2", d, d);
        linear("context_embedder", c.jointAttentionDim(), c.captionProjectionDim());
        for (int i = 0; i < c.layers(); i++) block("transformer_blocks." + i + ".", i == c.layers() - 1, c.dualAttentionLayers().contains(i));
        linear("norm_out.linear", d, 2 * d);
        linear("proj_out", d, p * p * c.outChannels());
    }

    private void block(String at, boolean last, boolean dual) {
        int d = c.dim();
        linear(at + "norm1.linear", d, (dual ? 9 : 6) * d);
        linear(at + "norm1_context.linear", d, (last ? 2 : 6) * d);
        String attn = at + "attn.";
        for (String proj : new String[] {"to_q", "to_k", "to_v"}) linear(attn + proj, d, d);
        if (c.qkNorm()) rmsNorms(attn, "norm_q", "norm_k");
        for (String proj : new String[] {"add_k_proj", "add_v_proj", "add_q_proj"}) linear(attn + proj, d, d);
        if (c.qkNorm()) rmsNorms(attn, "norm_added_q", "norm_added_k");
        linear(attn + "to_out.0", d, d);
        if (!last) linear(attn + "to_add_out", d, d);
        if (dual) {
            String attn2 = at + "attn2.";
            for (String proj : new String[] {"to_q", "to_k", "to_v"}) linear(attn2 + proj, d, d);
            if (c.qkNorm()) rmsNorms(attn2, "norm_q", "norm_k");
            linear(attn2 + "to_out.0", d, d);
        }
        feedForward(at + "ff.");
        if (!last) feedForward(at + "ff_context.");
    }

    private void feedForward(String at) {
        linear(at + "net.0.proj", c.dim(), 4 * c.dim());
        linear(at + "net.2", 4 * c.dim(), c.dim());
    }

    private void rmsNorms(String at, String... names) {
        for (String n : names) parameters.put(at + n + ".weight", new long[] {c.headDim()});
    }

    private void linear(String name, int in, int out) {
        parameters.put(name + ".weight", new long[] {out, in});
        parameters.put(name + ".bias", new long[] {out});
    }
}
