package org.attnbench.models.unet;

import java.util.Map;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.tensor.HostTensor;

/**
 * The torch.nn layers a UNet is made of, as graph fragments whose weights are asked for by their
 * diffusers names ({@code prefix + ".weight"}, {@code prefix + ".bias"}) and PyTorch layouts.
 */
public final class Layers {
    final GraphBuilder g;
    final UNetWeights weights;

    public Layers(GraphBuilder g, UNetWeights weights) {
        this.g = g;
        this.weights = weights;
    }

    /** nn.Linear on the last axis: x W^T + b, W [out, in]. */
    public Value linear(Value x, String prefix, long in, long out, boolean bias) {
        return g.linear(x, weights.get(prefix + ".weight", out, in), bias ? weights.get(prefix + ".bias", out) : null);
    }

    /** nn.Conv2d with a square kernel, "same" padding (k / 2) and a bias; NCHW. */
    public Value conv(Value x, String prefix, long out, int kernel, int stride) {
        long in = x.dim(1);
        long pad = kernel / 2;
        return g.conv(x, weights.get(prefix + ".weight", out, in, kernel, kernel), weights.get(prefix + ".bias", out),
                new long[] {stride, stride}, new long[] {pad, pad, pad, pad}, null, 1);
    }

    /**
     * nn.GroupNorm on [B,C,H,W]: the channels split into groups as [B,G,C/G*H*W], each group
     * normalized by InstanceNormalization (unit scale, zero shift), then the per-channel affine.
     */
    public Value groupNorm(Value x, String prefix, int groups, double eps) {
        long b = x.dim(0);
        long c = x.dim(1);
        float[] ones = new float[groups];
        java.util.Arrays.fill(ones, 1f);
        Value grouped = g.reshape(x, b, groups, -1);
        Value normed = g.op("InstanceNormalization", Map.of("epsilon", (float) eps), grouped,
                g.constant(HostTensor.of(ones, groups)), g.constant(HostTensor.of(new float[groups], groups)));
        Value back = g.reshape(normed, x.shape());
        Value scale = g.reshape(weights.get(prefix + ".weight", c), c, 1, 1);
        Value shift = g.reshape(weights.get(prefix + ".bias", c), c, 1, 1);
        return g.add(g.mul(back, scale), shift);
    }

    /** nn.LayerNorm over the last axis, eps 1e-5 (diffusers' transformer blocks). */
    Value layerNorm(Value x, String prefix) {
        long c = x.dim(-1);
        return g.layerNorm(x, weights.get(prefix + ".weight", c), weights.get(prefix + ".bias", c), -1, 1e-5f);
    }

    public Value silu(Value x) {
        return g.mul(x, g.op("Sigmoid", x));
    }

    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), as torch's default. */
    Value gelu(Value x) {
        Value erf = g.op("Erf", g.mul(x, g.constScalar((float) (1 / Math.sqrt(2)))));
        return g.mul(g.mul(x, g.constScalar(0.5f)), g.add(erf, g.constScalar(1f)));
    }
}
