package org.attnbench.models.unet;

import org.attnbench.graph.Value;

/**
 * diffusers' ResnetBlock2D: GroupNorm, SiLU, 3x3 conv, plus the projected time embedding;
 * GroupNorm, SiLU, (dropout: a no-op at inference), 3x3 conv; plus the input, through a 1x1
 * {@code conv_shortcut} when the channel count changes. Output scale factor 1.
 */
final class ResnetBlock {
    private final Layers nn;
    private final UNetConfig config;

    ResnetBlock(Layers nn, UNetConfig config) {
        this.nn = nn;
        this.config = config;
    }

    /** x [B,Cin,H,W], siluEmb = SiLU(time embedding) [B,T] -> [B,out,H,W]. */
    Value apply(Value x, Value siluEmb, String prefix, long out) {
        int groups = config.normNumGroups();
        double eps = config.normEps();
        Value h = nn.conv(nn.silu(nn.groupNorm(x, prefix + ".norm1", groups, eps)), prefix + ".conv1", out, 3, 1);
        Value t = nn.linear(siluEmb, prefix + ".time_emb_proj", siluEmb.dim(1), out, true);
        h = nn.g.add(h, nn.g.reshape(t, t.dim(0), out, 1, 1));
        h = nn.conv(nn.silu(nn.groupNorm(h, prefix + ".norm2", groups, eps)), prefix + ".conv2", out, 3, 1);
        Value shortcut = x.dim(1) == out ? x : nn.conv(x, prefix + ".conv_shortcut", out, 1, 1);
        return nn.g.add(shortcut, h);
    }
}
