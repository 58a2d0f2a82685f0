package org.attnbench.models.inception;

import java.util.List;
import java.util.Map;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.models.keras.KerasGraph;
import org.attnbench.models.keras.KerasLayer;
import org.attnbench.models.keras.TfjsLayersModel;
import org.attnbench.tensor.DType;

/**
 * The Keras InceptionV3 bundled in the npm package nsfwjs 4.4.0, as a feature graph.
 *
 * <p>The network is Keras's InceptionV3 (299 x 299 input, BatchNormalization without scale,
 * epsilon 0.001) whose mixed10 output is averaged over 8 x 8 and flattened ({@code flatten_1},
 * 2048), followed by a head fine-tuned for five classes: Dense 256 (relu), Dense 128 (relu),
 * Dense 5 (softmax) over {@link #CLASSES}. Weights are stored uint8-quantized per tensor.
 *
 * <p>Input: {@value #INPUT} [B, 3, 299, 299], RGB, each 8-bit value divided by 255 (range
 * [0, 1]), which is how nsfwjs normalizes pixels before calling the model. The graph's outputs
 * are {@value #FEATURES} [B, D] (see {@link FeatureLayer}) and, on request,
 * {@value #PROBABILITIES} [B, 5].
 */
public final class NsfwjsInception {
    public static final String INPUT = "image";
    public static final String FEATURES = "features";
    public static final String PROBABILITIES = "probabilities";
    public static final int INPUT_SIZE = 299;
    /** What 8-bit levels 0 and 255 map to: pixels are {@code level / 255}. */
    public static final double VALUE_AT_0 = 0;
    public static final double VALUE_AT_255 = 1;
    /** nsfwjs's class order. */
    public static final List<String> CLASSES = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");

    private NsfwjsInception() {}

    /** The graph for batches of {@code batch} images. */
    public static OnnxModel build(TfjsLayersModel model, int batch, FeatureLayer layer, boolean withProbabilities) {
        String input = checkInput(model);
        GraphBuilder g = new GraphBuilder("nsfwjs_inception_v3");
        Value image = g.input(INPUT, DType.FLOAT32, batch, 3, INPUT_SIZE, INPUT_SIZE);
        KerasGraph keras = new KerasGraph(model, g, Map.of(input, image));
        Value features = keras.output(layer.layerName());
        if (features.rank() == 4) features = g.reduceMean(features, new long[] {2, 3}, false);
        if (features.rank() != 2 || features.dim(1) != layer.dimension()) {
            throw new UserError("layer " + layer + " gives " + features + ", not " + layer.dimension() + " features per image"
                    + " (is this the nsfwjs InceptionV3?)");
        }
        g.output(FEATURES, features);
        if (withProbabilities) {
            Value probabilities = keras.output(model.outputs().get(0));
            if (probabilities.rank() != 2 || probabilities.dim(1) != CLASSES.size()) {
                throw new UserError("the model's output is " + probabilities + ", not " + CLASSES.size() + " class probabilities");
            }
            g.output(PROBABILITIES, probabilities);
        }
        return g.build();
    }

    private static String checkInput(TfjsLayersModel model) {
        if (model.inputs().size() != 1) throw new UserError("the model has " + model.inputs().size() + " inputs, expected 1");
        KerasLayer in = model.layer(model.inputs().get(0));
        var shape = in.config().getAsJsonArray("batch_input_shape");
        String expected = "[null,299,299,3]";
        if (shape == null || !shape.toString().equals(expected)) {
            throw new UserError("the model's input is " + shape + ", not " + expected + " (is this the nsfwjs InceptionV3?)");
        }
        return in.name();
    }
}
