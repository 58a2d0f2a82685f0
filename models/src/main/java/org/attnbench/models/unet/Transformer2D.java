package org.attnbench.models.unet;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.diffusion.ModuleCut;

/**
 * diffusers' Transformer2DModel on a [B,C,H,W] feature map: GroupNorm (eps 1e-6), proj_in (1x1
 * conv, or Linear on the tokens when {@code use_linear_projection}), the transformer blocks on
 * the H*W tokens in row-major order, proj_out, plus the input.
 */
final class Transformer2D {
    private static final double NORM_EPS = 1e-6;
    private final Layers nn;
    private final UNetConfig config;
    private final TokenPatch patch;
    private final ModuleCut cut;

    Transformer2D(Layers nn, UNetConfig config, TokenPatch patch, ModuleCut cut) {
        this.nn = nn;
        this.config = config;
        this.patch = patch;
        this.cut = cut;
    }

    /**
     * @param downsample the block's depth, latent size / H (1 at full resolution)
     * @param context encoder_hidden_states [B, 77, cross_attention_dim]
     */
    Value apply(Value x, Value context, String prefix, int heads, int layers, int downsample) {
        GraphBuilder g = nn.g;
        long b = x.dim(0);
        long c = x.dim(1);
        int h = (int) x.dim(2);
        int w = (int) x.dim(3);
        boolean linear = config.useLinearProjection();
        Value normed = nn.groupNorm(x, prefix + ".norm", config.normNumGroups(), NORM_EPS);
        Value tokens = linear
                ? nn.linear(toTokens(g, normed), prefix + ".proj_in", c, c, true)
                : toTokens(g, nn.conv(normed, prefix + ".proj_in", c, 1, 1));
        TransformerBlock block = new TransformerBlock(nn, patch, config.crossAttentionDim(), cut);
        for (int i = 0; i < layers; i++) {
            try (var s = g.scope("transformer_blocks." + i)) {
                tokens = block.apply(tokens, context, prefix + ".transformer_blocks." + i, h, w, heads, downsample);
            }
        }
        Value out = linear
                ? toGrid(g, nn.linear(tokens, prefix + ".proj_out", c, c, true), h, w)
                : nn.conv(toGrid(g, tokens, h, w), prefix + ".proj_out", c, 1, 1);
        return g.add(out, x);
    }

    /** [B,C,H,W] -> [B,H*W,C]. */
    private static Value toTokens(GraphBuilder g, Value x) {
        return g.reshape(g.transpose(x, 0, 2, 3, 1), x.dim(0), x.dim(2) * x.dim(3), x.dim(1));
    }

    /** [B,H*W,C] -> [B,C,H,W]. */
    private static Value toGrid(GraphBuilder g, Value t, int h, int w) {
        return g.transpose(g.reshape(t, t.dim(0), h, w, t.dim(2)), 0, 3, 1, 2);
    }
}
