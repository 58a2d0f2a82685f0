package org.attnbench.text.reference;

import org.attnbench.models.unet.WeightSource;
import org.attnbench.text.encoder.ClipModelConfig;
import org.attnbench.text.encoder.ClipVisionConfig;

/**
 * CLIP's image tower in float64, from its definition: each patch's pixels times the patch
 * embedding (no bias), the class embedding first, positions added, pre_layrnorm; per layer
 * x + attn(LN1(x)) with every token attending every token, then x + fc2(act(fc1(LN2(x)))); the class
 * token's row through post_layernorm and visual_projection.
 */
public final class ReferenceClipVision {
    private final ClipModelConfig model;
    private final ClipVisionConfig c;
    private final Weights w;
    private final ClipLayers layers;

    public ReferenceClipVision(ClipModelConfig config, WeightSource weights) {
        this.model = config;
        this.c = config.vision();
        this.w = new Weights(weights);
        this.layers = new ClipLayers(w, c.heads(), c.headDim(), c.layerNormEps(), c.activation());
    }

    /** image_embeds of one image [3][size][size] (already normalized). */
    public double[] imageEmbeds(double[][][] pixels) {
        int d = c.hiddenSize();
        int p = c.patchSize();
        int grid = c.grid();
        double[] patch = w.vector("vision_model.embeddings.patch_embedding.weight"); // [d, 3, p, p]
        double[] cls = w.vector("vision_model.embeddings.class_embedding");
        double[][] positions = w.matrix("vision_model.embeddings.position_embedding.weight");
        double[][] x = new double[c.tokens()][d];
        for (int i = 0; i < d; i++) x[0][i] = cls[i] + positions[0][i];
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                int t = 1 + gy * grid + gx;
                for (int o = 0; o < d; o++) {
                    double s = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        for (int a = 0; a < p; a++) {
                            for (int b = 0; b < p; b++) s += patch[((o * 3 + ch) * p + a) * p + b] * pixels[ch][gy * p + a][gx * p + b];
                        }
                    }
                    x[t][o] = s + positions[t][o];
                }
            }
        }
        x = layers.norm(x, "vision_model.pre_layrnorm");
        boolean[][] all = new boolean[x.length][x.length];
        for (boolean[] row : all) java.util.Arrays.fill(row, true);
        for (int layer = 0; layer < c.layers(); layer++) x = layers.layer(x, all, "vision_model.encoder.layers." + layer + ".");
        double[][] pooled = layers.norm(new double[][] {x[0]}, "vision_model.post_layernorm");
        return Rows.linear(pooled, w.matrix("visual_projection.weight"), null)[0];
    }

    /** The config this reference computes. */
    public ClipModelConfig config() {
        return model;
    }
}
