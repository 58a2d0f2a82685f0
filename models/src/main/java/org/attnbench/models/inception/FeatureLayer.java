package org.attnbench.models.inception;

import java.util.Arrays;
import java.util.Locale;
import org.attnbench.core.UserError;

/**
 * Where the nsfwjs InceptionV3 features are taken.
 *
 * <ul>
 *   <li>{@code flatten_1}: the 2048-d average of mixed10 over its 8 x 8 grid, the layer the FID
 *       Inception's pool3 features come from. Layers after mixed5 were fine-tuned by nsfwjs's
 *       authors on their five classes, so these features lean towards that task.
 *   <li>{@code mixed5}: the 768-d average of mixed5 over its 17 x 17 grid. Every layer up to
 *       mixed5 was frozen during fine-tuning (trainable false in the topology), so these are
 *       still the ImageNet weights.
 * </ul>
 */
public enum FeatureLayer {
    FLATTEN_1("flatten_1", 2048),
    MIXED5("mixed5", 768);

    private final String layerName;
    private final int dimension;

    FeatureLayer(String layerName, int dimension) {
        this.layerName = layerName;
        this.dimension = dimension;
    }

    /** The Keras layer name. */
    public String layerName() { return layerName; }

    public int dimension() { return dimension; }

    public static FeatureLayer parse(String name) {
        for (FeatureLayer l : values()) {
            if (l.layerName.equals(name.toLowerCase(Locale.ROOT))) return l;
        }
        throw new UserError("unknown layer '" + name + "': use " + String.join(" or ",
                Arrays.stream(values()).map(FeatureLayer::layerName).toList()));
    }

    @Override
    public String toString() {
        return layerName;
    }
}
