package org.attnbench.text.encoder;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * transformers' CLIPTextModel (and WithProjection) forward as one graph: token plus position
 * embeddings, pre-LN layers under a causal mask (scores scaled by 1/sqrt(head dim), quick_gelu or
 * gelu feed-forward), the final LayerNorm.
 *
 * <p>The pooled position is found in the graph from the ids, as transformers finds it (the first
 * eos id, or for a {@link ClipTextConfig#LEGACY_EOS} config the first largest id), so the graph
 * is the whole forward pass: an exported one runs in any ONNX tool on ids alone, and no caller has
 * to keep a second input in step with the ids.
 */
final class ClipTextGraph {
    private static final String PREFIX = "text_model.";

    private ClipTextGraph() {}

    static OnnxModel build(ClipTextConfig c, WeightSource source, int batch, int length) {
        GraphBuilder g = new GraphBuilder(c.modelClass());
        UNetWeights weights = new UNetWeights(g, EncoderWeights.of(source));
        layers(c, g, weights, batch, length);
        weights.finish(); // its warning of unused tensors is EncoderWeights.check's, given once when a runner opens
        return g.build(false);
    }

    /** Adds the inputs, every layer and the outputs to {@code g}. */
    static void layers(ClipTextConfig c, GraphBuilder g, UNetWeights weights, int batch, int length) {
        EncoderLayers n = new EncoderLayers(g, weights);
        int d = c.hiddenSize();
        Value ids = g.input(TextEncoderConfig.INPUT_IDS, DType.INT64, batch, length);
        Value mask = g.input(TextEncoderConfig.ATTENTION_MASK, DType.INT64, batch, length);
        Value positions = g.slice(weights.get(PREFIX + "embeddings.position_embedding.weight", c.maxPositions(), d),
                new long[] {0}, new long[] {length}, new long[] {0}, null);
        Value x = g.add(n.embed(ids, PREFIX + "embeddings.token_embedding.weight", c.vocabSize(), d), positions);
        // A score counts when its key is at or before the query and attended: the larger of the two masks' exclusions.
        Value bias = g.op("Min", g.constant(causal(length)), n.keyBias(mask));
        Value penultimate = x;
        for (int i = 0; i < c.layers(); i++) {
            try (GraphBuilder.Scope s = g.scope("layers." + i)) {
                penultimate = x;
                x = n.clipLayer(x, bias, PREFIX + "encoder.layers." + i + ".", c.heads(), c.headDim(), c.intermediateSize(),
                        c.layerNormEps(), c.activation());
            }
        }
        Value last = n.layerNorm(x, PREFIX + "final_layer_norm", c.layerNormEps());
        g.output(TextEncoderConfig.LAST_HIDDEN_STATE, last);
        g.output(TextEncoderConfig.PENULTIMATE_HIDDEN_STATE, penultimate);
        Value pooled = pooled(c, g, ids, last);
        g.output(TextEncoderConfig.POOLER_OUTPUT, pooled);
        if (c.withProjection()) {
            g.output(TextEncoderConfig.TEXT_EMBEDS, n.linear(pooled, "text_projection", d, c.projectionDim(), false));
        }
    }

    /** [1, 1, L, L]: 0 where the key is at or before the query, {@link EncoderLayers#MASKED} after it. */
    private static HostTensor causal(int length) {
        float[] v = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) v[i * length + j] = EncoderLayers.MASKED;
        }
        return HostTensor.of(v, 1, 1, length, length);
    }

    /**
     * The rows of {@code last} [P, L, D] at each sequence's pooled position, [P, D]: the first
     * position of the largest score, where the score is the id itself (legacy configs) or whether
     * it is the eos id. ArgMax gives the first of equal maxima in ONNX (select_last_index 0); ids
     * are compared as float32, exact below 2^24 (the config's vocabulary is checked).
     */
    private static Value pooled(ClipTextConfig c, GraphBuilder g, Value ids, Value last) {
        long p = ids.dim(0);
        long l = ids.dim(1);
        Value score = c.poolsAtLargestId() ? g.cast(ids, DType.FLOAT32)
                : g.cast(g.equal(ids, g.constLongs(c.eosTokenId())), DType.FLOAT32);
        Value position = g.argMax(score, 1, false);
        long[] rowStarts = new long[(int) p];
        for (int i = 0; i < p; i++) rowStarts[i] = i * l;
        Value flat = g.add(position, g.constLongs(rowStarts));
        return g.gather(g.reshape(last, p * l, last.dim(2)), flat, 0);
    }
}
