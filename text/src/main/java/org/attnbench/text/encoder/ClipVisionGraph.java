package org.attnbench.text.encoder;

import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.DType;

/**
 * transformers' CLIPVisionModelWithProjection forward as one graph, the image tower of a CLIPModel:
 * the patch convolution (stride = kernel = patch, no bias), the class embedding before the patches,
 * the position table added, {@code pre_layrnorm}, the encoder's pre-LN layers (no mask: every token
 * attends to every token, scores scaled by 1/sqrt(head dim)), {@code post_layernorm} of the class
 * token ({@value #POOLER_OUTPUT}) and {@code visual_projection} ({@value #IMAGE_EMBEDS}).
 */
public final class ClipVisionGraph {
    public static final String PIXEL_VALUES = "pixel_values";
    public static final String POOLER_OUTPUT = "pooler_output";
    public static final String IMAGE_EMBEDS = "image_embeds";
    private static final String PREFIX = "vision_model.";

    private ClipVisionGraph() {}

    /** The graph for {@code batch} images [batch, 3, image_size, image_size], its weights from {@code source}. */
    public static OnnxModel build(ClipModelConfig c, WeightSource source, int batch) {
        GraphBuilder g = new GraphBuilder("CLIPVisionModelWithProjection");
        UNetWeights weights = new UNetWeights(g, source);
        layers(c, g, weights, batch);
        weights.finish();
        return g.build(false);
    }

    static void layers(ClipModelConfig model, GraphBuilder g, UNetWeights weights, int batch) {
        ClipVisionConfig c = model.vision();
        EncoderLayers n = new EncoderLayers(g, weights);
        int d = c.hiddenSize();
        int p = c.patchSize();
        int patches = c.grid() * c.grid();
        Value pixels = g.input(PIXEL_VALUES, DType.FLOAT32, batch, 3, c.imageSize(), c.imageSize());
        Value conv = g.conv(pixels, weights.get(PREFIX + "embeddings.patch_embedding.weight", d, 3, p, p), null,
                new long[] {p, p}, null, null, 1);
        Value tokens = g.transpose(g.reshape(conv, batch, d, patches), 0, 2, 1);
        Value cls = g.expand(g.reshape(weights.get(PREFIX + "embeddings.class_embedding", d), 1, 1, d), batch, 1, d);
        Value x = g.concat(1, cls, tokens);
        x = g.add(x, weights.get(PREFIX + "embeddings.position_embedding.weight", c.tokens(), d));
        x = n.layerNorm(x, PREFIX + "pre_layrnorm", c.layerNormEps());
        Value noMask = g.constScalar(0f);
        for (int i = 0; i < c.layers(); i++) {
            try (GraphBuilder.Scope s = g.scope("layers." + i)) {
                x = n.clipLayer(x, noMask, PREFIX + "encoder.layers." + i + ".", c.heads(), c.headDim(), c.intermediateSize(),
                        c.layerNormEps(), c.activation());
            }
        }
        Value first = g.reshape(g.slice(x, new long[] {0}, new long[] {1}, new long[] {1}, null), batch, d);
        Value pooled = n.layerNorm(first, PREFIX + "post_layernorm", c.layerNormEps());
        g.output(POOLER_OUTPUT, pooled);
        g.output(IMAGE_EMBEDS, n.linear(pooled, "visual_projection", d, model.projectionDim(), false));
    }
}
