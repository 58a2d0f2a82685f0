package org.attnbench.text.encoder;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.Value;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.tensor.DType;

/** The layers CLIP's and T5's encoders are made of, as graph fragments reading weights by transformers name. */
final class EncoderLayers {
    /** torch.finfo(float32).min: what transformers adds to a score that must not count. */
    static final float MASKED = -Float.MAX_VALUE;

    private final GraphBuilder g;
    private final UNetWeights w;

    EncoderLayers(GraphBuilder g, UNetWeights weights) {
        this.g = g;
        this.w = weights;
    }

    /** The rows of the table {@code name} [rows, dim] at {@code ids}. */
    Value embed(Value ids, String name, long rows, long dim) {
        return g.gather(w.get(name, rows, dim), ids, 0);
    }

    /** nn.Linear: x W^T (+ b), W [out, in]. */
    Value linear(Value x, String prefix, long in, long out, boolean bias) {
        return g.linear(x, w.get(prefix + ".weight", out, in), bias ? w.get(prefix + ".bias", out) : null);
    }

    /** nn.LayerNorm over the last axis. */
    Value layerNorm(Value x, String prefix, double eps) {
        long d = x.dim(-1);
        return g.layerNorm(x, w.get(prefix + ".weight", d), w.get(prefix + ".bias", d), -1, (float) eps);
    }

    /** T5's LayerNorm: x / sqrt(mean(x^2) + eps) times the weight; no mean taken out, no bias. */
    Value rmsNorm(Value x, String name, double eps) {
        Value meanSquare = g.reduceMean(g.mul(x, x), new long[] {-1}, true);
        Value rms = g.op("Sqrt", g.add(meanSquare, g.constScalar((float) eps)));
        return g.mul(g.div(x, rms), w.get(name, x.dim(-1)));
    }

    /**
     * One CLIPEncoderLayer, the text and image towers alike: x + out_proj(attention(LN1(x))), then
     * x + fc2(act(fc1(LN2(x)))); {@code bias} is added to the scores (a mask), or null.
     */
    Value clipLayer(Value x, Value bias, String p, int heads, int headDim, int intermediate, double eps,
            ClipTextConfig.Activation activation) {
        int d = (int) x.dim(-1);
        Value h = layerNorm(x, p + "layer_norm1", eps);
        Value q = linear(h, p + "self_attn.q_proj", d, d, true);
        Value k = linear(h, p + "self_attn.k_proj", d, d, true);
        Value v = linear(h, p + "self_attn.v_proj", d, d, true);
        Value a = attention(q, k, v, heads, headDim, (float) (1 / Math.sqrt(headDim)), bias);
        x = g.add(x, linear(a, p + "self_attn.out_proj", d, d, true));
        h = linear(layerNorm(x, p + "layer_norm2", eps), p + "mlp.fc1", d, intermediate, true);
        h = activation == ClipTextConfig.Activation.QUICK_GELU ? quickGelu(h) : gelu(h);
        return g.add(x, linear(h, p + "mlp.fc2", intermediate, d, true));
    }

    /** x sigmoid(1.702 x). */
    Value quickGelu(Value x) {
        return g.mul(x, g.op("Sigmoid", g.mul(x, g.constScalar(1.702f))));
    }

    /** 0.5 x (1 + erf(x / sqrt 2)). */
    Value gelu(Value x) {
        Value erf = g.op("Erf", g.mul(x, g.constScalar((float) (1 / Math.sqrt(2)))));
        return g.mul(g.mul(x, g.constScalar(0.5f)), g.add(erf, g.constScalar(1f)));
    }

    /** gelu_new: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). */
    Value geluTanh(Value x) {
        Value cube = g.mul(g.mul(x, x), x);
        Value inner = g.mul(g.add(x, g.mul(cube, g.constScalar(0.044715f))), g.constScalar((float) Math.sqrt(2 / Math.PI)));
        return g.mul(g.mul(x, g.constScalar(0.5f)), g.add(g.op("Tanh", inner), g.constScalar(1f)));
    }

    /** The attention mask [P, L] (1 attended, 0 not) as scores to add, [P, 1, 1, L]: 0 or {@link #MASKED}. */
    Value keyBias(Value mask) {
        long p = mask.dim(0);
        long l = mask.dim(1);
        Value attended = g.reshape(g.cast(mask, DType.BOOL), p, 1, 1, l);
        return g.where(attended, g.constScalar(0f), g.constScalar(MASKED));
    }

    /**
     * Multi-head attention of projected queries, keys and values [P, L, heads x headDim]: softmax of
     * the scores times {@code scale} plus {@code bias} (broadcast to [P, heads, L, L]), back to [P, L, heads x headDim].
     */
    Value attention(Value q, Value k, Value v, int heads, int headDim, float scale, Value bias) {
        long p = q.dim(0);
        long l = q.dim(1);
        Value qh = g.transpose(g.reshape(q, p, l, heads, headDim), 0, 2, 1, 3);
        Value kt = g.transpose(g.reshape(k, p, l, heads, headDim), 0, 2, 3, 1);
        Value vh = g.transpose(g.reshape(v, p, l, heads, headDim), 0, 2, 1, 3);
        Value scores = g.matMul(qh, kt);
        if (scale != 1f) scores = g.mul(scores, g.constScalar(scale));
        Value probs = g.softmax(g.add(scores, bias), -1);
        Value out = g.transpose(g.matMul(probs, vh), 0, 2, 1, 3);
        return g.reshape(out, p, l, (long) heads * headDim);
    }
}
