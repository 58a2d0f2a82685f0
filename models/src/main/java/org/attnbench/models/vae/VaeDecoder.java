package org.attnbench.models.vae;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.unet.Layers;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * AutoencoderKL's decoder as a graph, weights under diffusers' names: latents [1, C, h, w]
 * (as sampled, i.e. still multiplied by the scaling factor) to an image [1, 3, f h, f w] in
 * [-1, 1]. z = latents / scaling_factor + shift_factor (or per channel with latents_mean and
 * latents_std, see {@link VaeConfig}), post_quant_conv, decoder.conv_in, the mid
 * block (resnet, single-head self-attention over all h w positions, resnet), one
 * UpDecoderBlock2D per level from the widest (layers_per_block + 1 resnets, then nearest 2x
 * upsampling and a 3x3 conv, except the last), GroupNorm, SiLU and conv_out.
 */
public final class VaeDecoder {
    public static final String INPUT = "latents";
    public static final String OUTPUT = "image";
    /** diffusers builds every GroupNorm of the VAE with eps 1e-6. */
    private static final double NORM_EPS = 1e-6;

    private final VaeConfig config;
    private final GraphBuilder g;
    private final UNetWeights weights;
    private final Layers nn;

    private VaeDecoder(VaeConfig config, WeightSource source) {
        this.config = config;
        this.g = new GraphBuilder("vae_decoder");
        this.weights = new UNetWeights(g, source);
        this.nn = new Layers(g, weights);
    }

    /**
     * The decoder for an h x w latent. Missing or misshapen weights are a UserError; a full
     * AutoencoderKL file also holds the encoder, whose tensors are not reported as unused.
     */
    public static OnnxModel build(VaeConfig config, int latentHeight, int latentWidth, WeightSource weights) {
        VaeDecoder d = new VaeDecoder(config, weights);
        d.define(latentHeight, latentWidth);
        d.weights.finish();
        return d.g.build(false);
    }

    private void define(int h, int w) {
        int[] channels = config.blockOutChannels();
        Value z = g.input(INPUT, DType.FLOAT32, 1, config.latentChannels(), h, w);
        z = unscale(z);
        if (config.usePostQuantConv()) z = nn.conv(z, "post_quant_conv", config.latentChannels(), 1, 1);
        Value x = nn.conv(z, "decoder.conv_in", channels[channels.length - 1], 3, 1);
        x = resnet(x, "decoder.mid_block.resnets.0", x.dim(1));
        if (config.midBlockAttention()) x = attention(x, "decoder.mid_block.attentions.0");
        x = resnet(x, "decoder.mid_block.resnets.1", x.dim(1));
        for (int level = 0; level < channels.length; level++) {
            String block = "decoder.up_blocks." + level;
            long out = channels[channels.length - 1 - level];
            for (int r = 0; r <= config.layersPerBlock(); r++) x = resnet(x, block + ".resnets." + r, out);
            if (level < channels.length - 1) {
                x = g.resize(x, new float[] {1, 1, 2, 2}, "nearest", "asymmetric", "floor");
                x = nn.conv(x, block + ".upsamplers.0.conv", out, 3, 1);
            }
        }
        x = nn.silu(nn.groupNorm(x, "decoder.conv_norm_out", config.normNumGroups(), NORM_EPS));
        g.output(OUTPUT, nn.conv(x, "decoder.conv_out", config.outChannels(), 3, 1));
    }

    /** Back from the latents a pipeline holds to the VAE's own scale (see {@link VaeConfig}). */
    private Value unscale(Value z) {
        double[] mean = config.latentsMean();
        if (mean == null) {
            z = g.mul(z, g.constScalar((float) (1 / config.scalingFactor())));
            return config.shiftFactor() == 0 ? z : g.add(z, g.constScalar((float) config.shiftFactor()));
        }
        double[] std = config.latentsStd();
        float[] scale = new float[mean.length];
        float[] shift = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            scale[c] = (float) (std[c] / config.scalingFactor());
            shift[c] = (float) mean[c];
        }
        return g.add(g.mul(z, g.constant(HostTensor.of(scale, mean.length, 1, 1))),
                g.constant(HostTensor.of(shift, mean.length, 1, 1)));
    }

    /** ResnetBlock2D without a time embedding; a 1x1 conv_shortcut where the width changes. */
    private Value resnet(Value x, String prefix, long out) {
        int groups = config.normNumGroups();
        Value h = nn.conv(nn.silu(nn.groupNorm(x, prefix + ".norm1", groups, NORM_EPS)), prefix + ".conv1", out, 3, 1);
        h = nn.conv(nn.silu(nn.groupNorm(h, prefix + ".norm2", groups, NORM_EPS)), prefix + ".conv2", out, 3, 1);
        Value shortcut = x.dim(1) == out ? x : nn.conv(x, prefix + ".conv_shortcut", out, 1, 1);
        return g.add(shortcut, h);
    }

    /** One head as wide as the channels, over the h w positions, with biased projections and a residual. */
    private Value attention(Value x, String prefix) {
        long b = x.dim(0);
        long c = x.dim(1);
        long hw = x.dim(2) * x.dim(3);
        Value n = nn.groupNorm(x, prefix + ".group_norm", config.normNumGroups(), NORM_EPS);
        Value tokens = g.transpose(g.reshape(n, b, c, hw), 0, 2, 1);
        Value q = g.mul(nn.linear(tokens, prefix + ".to_q", c, c, true), g.constScalar((float) (1 / Math.sqrt(c))));
        Value k = nn.linear(tokens, prefix + ".to_k", c, c, true);
        Value v = nn.linear(tokens, prefix + ".to_v", c, c, true);
        Value attn = g.matMul(g.softmax(g.matMul(q, g.transpose(k, 0, 2, 1)), -1), v);
        Value out = nn.linear(attn, prefix + ".to_out.0", c, c, true);
        return g.add(x, g.reshape(g.transpose(out, 0, 2, 1), x.shape()));
    }
}
