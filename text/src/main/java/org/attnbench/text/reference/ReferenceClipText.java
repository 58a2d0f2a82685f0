package org.attnbench.text.reference;

import org.attnbench.models.unet.WeightSource;
import org.attnbench.text.encoder.ClipTextConfig;

/**
 * CLIP's text model in float64, from its definition: token plus position embeddings; per layer
 * x + attn(LN1(x)) under the causal mask (a query sees itself and the keys before it), then
 * x + fc2(act(fc1(LN2(x)))); the final LayerNorm. Pooled: the final-normed row of the first eos id
 * (the first largest id where the config's eos_token_id is the legacy 2); projected by
 * text_projection with projection.
 */
public final class ReferenceClipText {
    /** One sequence's outputs; {@code textEmbeds} is null without projection. */
    public record Output(double[][] lastHiddenState, double[][] penultimateHiddenState, double[] pooled,
                         double[] textEmbeds) {}

    private final ClipTextConfig c;
    private final Weights w;
    private final ClipLayers layers;

    public ReferenceClipText(ClipTextConfig config, WeightSource weights) {
        this.c = config;
        this.w = new Weights(weights);
        this.layers = new ClipLayers(w, c.heads(), c.headDim(), c.layerNormEps(), c.activation());
    }

    /** The outputs for one sequence's ids; {@code mask} (1 attended, 0 not) may be null. */
    public Output encode(long[] ids, long[] mask) {
        int l = ids.length;
        double[][] tokens = w.matrix("text_model.embeddings.token_embedding.weight");
        double[][] positions = w.matrix("text_model.embeddings.position_embedding.weight");
        double[][] x = new double[l][];
        for (int t = 0; t < l; t++) {
            x[t] = new double[c.hiddenSize()];
            for (int i = 0; i < c.hiddenSize(); i++) x[t][i] = tokens[(int) ids[t]][i] + positions[t][i];
        }
        boolean[][] attends = new boolean[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j <= i; j++) attends[i][j] = mask == null || mask[j] != 0;
        }
        double[][] penultimate = x;
        for (int layer = 0; layer < c.layers(); layer++) {
            penultimate = x;
            x = layers.layer(x, attends, "text_model.encoder.layers." + layer + ".");
        }
        double[][] last = Rows.layerNorm(x, w.vector("text_model.final_layer_norm.weight"),
                w.vector("text_model.final_layer_norm.bias"), c.layerNormEps());
        double[] pooled = last[pooledPosition(ids)];
        double[] embeds = c.withProjection()
                ? Rows.linear(new double[][] {pooled}, w.matrix("text_projection.weight"), null)[0] : null;
        return new Output(last, penultimate, pooled, embeds);
    }

    /** The first position of the eos id, or of the largest id for a legacy config; 0 when there is no eos. */
    int pooledPosition(long[] ids) {
        int best = 0;
        for (int t = 1; t < ids.length; t++) {
            boolean better = c.poolsAtLargestId() ? ids[t] > ids[best]
                    : ids[t] == c.eosTokenId() && ids[best] != c.eosTokenId();
            if (better) best = t;
        }
        return best;
    }
}
