package org.attnbench.models.dit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters a {@code FluxTransformer2DModel} checkpoint holds, by diffusers name, from its config
 * alone (Flux keeps no buffers: its rotary positions are computed).
 *
 * <p>Double-stream blocks ({@code transformer_blocks}): an AdaLayerNormZero per stream (6 x dim), the
 * joint attention with q/k RMSNorm per head for both streams and an output projection for each,
 * and a GELU-tanh feed-forward (4 x dim) per stream. Single-stream blocks
 * ({@code single_transformer_blocks}): AdaLayerNormZeroSingle (3 x dim), q, k, v with their
 * RMSNorms, an MLP input projection (4 x dim), and one output projection of attention and MLP
 * together (5 x dim to dim).
 */
public final class FluxWeights {
    private final FluxConfig c;
    private final Map<String, long[]> parameters = new LinkedHashMap<>();

    private FluxWeights(FluxConfig c) {
        this.c = c;
    }

    /** Every parameter, name to shape. */
    public static Map<String, long[]> parameters(FluxConfig c) {
        FluxWeights w = new FluxWeights(c);
        w.list();
        return w.parameters;
    }

    private void list() {
        int d = c.dim();
        linear("time_text_embed.timestep_embedder.linear_1", 256, d);
        linear("time_text_embed.timestep_embedder.linear_2", d, d);
        if (c.guidanceEmbeds()) {
            linear("time_text_embed.guidance_embedder.linear_1", 256, d);
            linear("time_text_embed.guidance_embedder.linear_2", d, d);
        }
        linear("time_text_embed.text_embedder.linear_1", c.pooledProjectionDim(), d);
        linear("time_text_embed.text_embedder.linear_2", d, d);
        linear("context_embedder", c.jointAttentionDim(), d);
        linear("x_embedder", c.inChannels(), d);
        for (int i = 0; i < c.layers(); i++) doubleStream("transformer_blocks." + i + ".");
        for (int i = 0; i < c.singleLayers(); i++) singleStream("single_transformer_blocks." + i + ".");
        linear("norm_out.linear", d, 2 * d);
        linear("proj_out", d, c.patchSize() * c.patchSize() * c.outChannels());
    }

    private void doubleStream(String at) {
        int d = c.dim();
        linear(at + "norm1.linear", d, 6 * d);
        linear(at + "norm1_context.linear", d, 6 * d);
        String attn = at + "attn.";
        for (String proj : new String[] {"to_q", "to_k", "to_v", "add_q_proj", "add_k_proj", "add_v_proj", "to_out.0", "to_add_out"}) {
            linear(attn + proj, d, d);
        }
        for (String norm : new String[] {"norm_q", "norm_k", "norm_added_q", "norm_added_k"}) {
            parameters.put(attn + norm + ".weight", new long[] {c.headDim()});
        }
        for (String ff : new String[] {"ff.", "ff_context."}) {
            linear(at + ff + "net.0.proj", d, 4 * d);
            linear(at + ff + "net.2", 4 * d, d);
        }
    }

    private void singleStream(String at) {
        int d = c.dim();
        linear(at + "norm.linear", d, 3 * d);
        linear(at + "proj_mlp", d, 4 * d);
        linear(at + "proj_out", 5 * d, d);
        for (String proj : new String[] {"to_q", "to_k", "to_v"}) linear(at + "attn." + proj, d, d);
        for (String norm : new String[] {"norm_q", "norm_k"}) parameters.put(at + "attn." + norm + ".weight", new long[] {c.headDim()});
    }

    private void linear(String name, int in, int out) {
        parameters.put(name + ".weight", new long[] {out, in});
        parameters.put(name + ".bias", new long[] {out});
    }
}
