package org.attnbench.models.dit;

import java.util.Arrays;
import java.util.List;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.unet.UNetWeights;

/**
 * The layers an MMDiT graph (SD3, Flux) builds from its weights, by diffusers name: linears, adaLN
 * modulations, GELU-tanh feed-forwards, attention weights, and LayerNorms without affine.
 */
final class DitModules {
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final int dim;
    private final int headDim;
    private final double eps;

    DitModules(GraphBuilder g, UNetWeights weights, int dim, int headDim, double eps) {
        this.g = g;
        this.weights = weights;
        this.dim = dim;
        this.headDim = headDim;
        this.eps = eps;
    }

    /** torch.nn.Linear under {@code prefix}: weight [out, in] and bias [out]. */
    Value linear(Value x, String prefix, long in, long out) {
        return g.linear(x, weights.get(prefix + ".weight", out, in), weights.get(prefix + ".bias", out));
    }

    /** An embedder (TimestepEmbedding, PixArtAlphaTextProjection): linear_1 to D, SiLU, linear_2. */
    Value embedder(Value x, String prefix, long in) {
        return linear(silu(linear(x, prefix + ".linear_1", in, dim)), prefix + ".linear_2", dim, dim);
    }

    /** Linear(SiLU(temb)) as {@code rows} values [B, 1, D], in diffusers' chunk order. */
    List<Value> modulation(Value conditioning, String layer, int rows, int batch) {
        Value emb = g.reshape(linear(conditioning, layer, dim, (long) rows * dim), batch, rows, dim);
        long[] ones = new long[rows];
        Arrays.fill(ones, 1);
        return g.split(emb, 1, ones);
    }

    /** Attention projections are [D, D] with biases; q/k norms scale one head's channels. */
    Value attentionWeight(String name) {
        if (name.contains(".norm_")) return weights.get(name, headDim);
        return name.endsWith(".bias") ? weights.get(name, dim) : weights.get(name, dim, dim);
    }

    /** diffusers' FeedForward with GELU-tanh: net.0.proj to 4 D, net.2 back. */
    Value feedForward(Value x, String prefix) {
        Value hidden = DitLayers.geluTanh(g, linear(x, prefix + ".net.0.proj", dim, 4L * dim));
        return linear(hidden, prefix + ".net.2", 4L * dim, dim);
    }

    Value modulate(Value x, Value shift, Value scale) {
        return DitLayers.modulate(g, x, shift, scale);
    }

    Value norm(Value x) {
        return DitLayers.norm(g, x, dim, eps);
    }

    Value silu(Value x) {
        return DitLayers.silu(g, x);
    }
}
