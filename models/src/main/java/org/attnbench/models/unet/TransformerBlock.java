package org.attnbench.models.unet;

import java.util.function.Function;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.attention.TokenPatch;
import org.attnbench.models.attention.BlockRewrite;
import org.attnbench.models.attention.SelfAttention;
import org.attnbench.models.attention.Kernel;
import org.attnbench.models.diffusion.ModuleCut;

/**
 * diffusers' BasicTransformerBlock with the patch plugged in: x += attn1(norm1(x)) (self),
 * x += attn2(norm2(x), context) (cross), x += ff(norm3(x)) with a GEGLU feed-forward
 * (net.0.proj to 2 x 4C, hidden * gelu(gate), net.2 back to C).
 *
 * <p>The block's method ({@link TokenPatch#atBlock}) rewrites it ({@link BlockRewrite}): ToDo and
 * tome-kv change attn1's keys and values; ToMe merges around whole sub-blocks as tomesd does.
 */
final class TransformerBlock {
    private final Layers nn;
    private final TokenPatch patch;
    private final long crossDim;
    private final ModuleCut cut;

    TransformerBlock(Layers nn, TokenPatch patch, long crossDim, ModuleCut cut) {
        this.nn = nn;
        this.patch = patch;
        this.crossDim = crossDim;
        this.cut = cut;
    }

    /** x [B, h*w, C] -> [B, h*w, C]. */
    Value apply(Value x, Value context, String prefix, int h, int w, int heads, int downsample) {
        GraphBuilder g = nn.g;
        long c = x.dim(2);
        Kernel kernel = patch.kernel();
        SelfAttention attn1 = new SelfAttention(g, prefix + ".attn1", attentionWeights(c, c));
        SelfAttention attn2 = new SelfAttention(g, prefix + ".attn2", attentionWeights(c, crossDim));
        BlockRewrite rewrite = patch.atBlock(downsample).rewrite(g, x, h, w);

        Value n1 = nn.layerNorm(x, prefix + ".norm1");
        Value a1;
        try (var s = g.scope("attn1")) {
            a1 = cut.attention(prefix + ".attn1", false, x.shape(), () -> rewrite.selfAttention(attn1, n1, heads));
        }
        x = g.add(x, a1);
        Value n2 = nn.layerNorm(x, prefix + ".norm2");
        Value a2;
        try (var s = g.scope("attn2")) {
            a2 = cut.attention(prefix + ".attn2", true, x.shape(),
                    () -> rewrite.crossAttention(n2, t -> attn2.attention(t, context, heads, kernel)));
        }
        x = g.add(x, a2);
        Value n3 = nn.layerNorm(x, prefix + ".norm3");
        Value f;
        try (var s = g.scope("ff")) {
            f = rewrite.feedForward(n3, t -> feedForward(t, prefix + ".ff"));
        }
        return g.add(x, f);
    }

    /** GEGLU: proj to 2 x inner, first half times gelu(second half), then net.2 back to C. */
    private Value feedForward(Value x, String prefix) {
        long c = x.dim(-1);
        long inner = 4 * c;
        Value proj = nn.linear(x, prefix + ".net.0.proj", c, 2 * inner, true);
        var halves = nn.g.split(proj, -1, inner, inner);
        return nn.linear(nn.g.mul(halves.get(0), nn.gelu(halves.get(1))), prefix + ".net.2", inner, c, true);
    }

    /** Weights of an attention by full name: to_q [C,C], to_k / to_v [C,kvDim], to_out.0 [C,C] + bias. */
    private Function<String, Value> attentionWeights(long c, long kvDim) {
        return name -> {
            if (name.endsWith(".to_k.weight") || name.endsWith(".to_v.weight")) return nn.weights.get(name, c, kvDim);
            if (name.endsWith(".bias")) return nn.weights.get(name, c);
            return nn.weights.get(name, c, c);
        };
    }
}
