package org.attnbench.text.reference;

import org.attnbench.text.encoder.ClipTextConfig;

/**
 * CLIP's encoder layer in float64, the text and image towers alike: x + out_proj(attention(LN1(x))),
 * then x + fc2(act(fc1(LN2(x)))), reading weights by transformers name.
 */
final class ClipLayers {
    private final Weights w;
    private final int heads;
    private final int headDim;
    private final double eps;
    private final boolean quickGelu;

    ClipLayers(Weights w, int heads, int headDim, double eps, ClipTextConfig.Activation activation) {
        this.w = w;
        this.heads = heads;
        this.headDim = headDim;
        this.eps = eps;
        this.quickGelu = activation == ClipTextConfig.Activation.QUICK_GELU;
    }

    /** The layer under {@code p} ("...encoder.layers.N."); {@code attends[q][k]} says which keys each query sees. */
    double[][] layer(double[][] x, boolean[][] attends, String p) {
        double[][] h = norm(x, p + "layer_norm1");
        double[][] q = linear(h, p + "self_attn.q_proj");
        double[][] k = linear(h, p + "self_attn.k_proj");
        double[][] v = linear(h, p + "self_attn.v_proj");
        double[][] a = Rows.attention(q, k, v, heads, headDim, 1 / Math.sqrt(headDim), null, attends);
        x = Rows.add(x, linear(a, p + "self_attn.out_proj"));
        double[][] f = linear(norm(x, p + "layer_norm2"), p + "mlp.fc1");
        f = Rows.map(f, quickGelu ? z -> z / (1 + Math.exp(-1.702 * z)) : z -> 0.5 * z * (1 + Erf.erf(z / Math.sqrt(2))));
        return Rows.add(x, linear(f, p + "mlp.fc2"));
    }

    /** nn.LayerNorm under {@code prefix}. */
    double[][] norm(double[][] x, String prefix) {
        return Rows.layerNorm(x, w.vector(prefix + ".weight"), w.vector(prefix + ".bias"), eps);
    }

    /** nn.Linear with bias under {@code prefix}. */
    double[][] linear(double[][] x, String prefix) {
        return Rows.linear(x, w.matrix(prefix + ".weight"), w.vector(prefix + ".bias"));
    }
}
