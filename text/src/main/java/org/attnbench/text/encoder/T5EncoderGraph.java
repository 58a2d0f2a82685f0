package org.attnbench.text.encoder;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * transformers' T5EncoderModel forward (T5 v1.1) as one graph: the shared embedding; per block an
 * RMS-normed self-attention without score scaling, whose inner width is heads x d_kv, plus the
 * relative position bias of block 0 (every block adds the same one) and the attention mask, then
 * an RMS-normed gated-gelu feed-forward; the final RMS norm.
 */
final class T5EncoderGraph {
    private T5EncoderGraph() {}

    static OnnxModel build(T5EncoderConfig c, WeightSource source, int batch, int length) {
        GraphBuilder g = new GraphBuilder(c.modelClass());
        UNetWeights weights = new UNetWeights(g, EncoderWeights.of(source));
        layers(c, g, weights, batch, length);
        weights.finish(); // its warning of unused tensors is EncoderWeights.check's, given once when a runner opens
        return g.build(false);
    }

    /** Adds the inputs, every block and the output to {@code g}. */
    static void layers(T5EncoderConfig c, GraphBuilder g, UNetWeights weights, int batch, int length) {
        EncoderLayers n = new EncoderLayers(g, weights);
        Value ids = g.input(TextEncoderConfig.INPUT_IDS, DType.INT64, batch, length);
        Value mask = g.input(TextEncoderConfig.ATTENTION_MASK, DType.INT64, batch, length);
        Value x = n.embed(ids, EncoderWeights.T5_SHARED, c.vocabSize(), c.dModel());
        Value bias = g.add(positionBias(c, g, weights, length), n.keyBias(mask));
        for (int i = 0; i < c.layers(); i++) {
            try (GraphBuilder.Scope s = g.scope("block." + i)) {
                x = block(c, g, n, x, bias, "encoder.block." + i + ".layer.");
            }
        }
        g.output(TextEncoderConfig.LAST_HIDDEN_STATE, n.rmsNorm(x, "encoder.final_layer_norm.weight", c.layerNormEps()));
    }

    /** [1, heads, L, L]: block 0's table of a bias per bucket and head, looked up by each key's bucket from each query. */
    private static Value positionBias(T5EncoderConfig c, GraphBuilder g, UNetWeights weights, int length) {
        Value table = weights.get("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", c.buckets(),
                c.heads());
        Value buckets = g.constant(HostTensor.of(T5Buckets.table(length, c.buckets(), c.maxDistance()), length, length));
        Value perHead = g.transpose(g.gather(table, buckets, 0), 2, 0, 1);
        return g.unsqueeze(perHead, 0);
    }

    private static Value block(T5EncoderConfig c, GraphBuilder g, EncoderLayers n, Value x, Value bias, String p) {
        int d = c.dModel();
        int inner = c.inner();
        double eps = c.layerNormEps();
        Value h = n.rmsNorm(x, p + "0.layer_norm.weight", eps);
        Value q = n.linear(h, p + "0.SelfAttention.q", d, inner, false);
        Value k = n.linear(h, p + "0.SelfAttention.k", d, inner, false);
        Value v = n.linear(h, p + "0.SelfAttention.v", d, inner, false);
        Value a = n.attention(q, k, v, c.heads(), c.dKv(), 1f, bias);
        x = g.add(x, n.linear(a, p + "0.SelfAttention.o", inner, d, false));
        h = n.rmsNorm(x, p + "1.layer_norm.weight", eps);
        Value gate = n.geluTanh(n.linear(h, p + "1.DenseReluDense.wi_0", d, c.dFf(), false));
        Value up = n.linear(h, p + "1.DenseReluDense.wi_1", d, c.dFf(), false);
        return g.add(x, n.linear(g.mul(gate, up), p + "1.DenseReluDense.wo", c.dFf(), d, false));
    }
}
