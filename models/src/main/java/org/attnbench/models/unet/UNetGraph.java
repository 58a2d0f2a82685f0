package org.attnbench.models.unet;

import java.util.Map;
import org.attnbench.graph.OnnxModel;

/** Skeleton: the UNet2DConditionModel graph builder (being filled in). */
public final class UNetGraph {
    public static final String SAMPLE = "sample";
    public static final String TIMESTEP = "timestep";
    public static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";
    public static final String TEXT_EMBEDS = "text_embeds";
    public static final String TIME_IDS = "time_ids";
    public static final String OUT_SAMPLE = "out_sample";
    public static final int TEXT_TOKENS = 77;

    private UNetGraph() {}

    public static OnnxModel build(UNetConfig config, int resolutionPx, int batch, UNetPatch patch, WeightSource weights) {
        throw new UnsupportedOperationException("skeleton");
    }

    public static Map<String, long[]> expectedWeights(UNetConfig config) {
        throw new UnsupportedOperationException("skeleton");
    }

    public static long parameterCount(UNetConfig config) {
        throw new UnsupportedOperationException("skeleton");
    }

    public static int tensorCount(UNetConfig config) {
        throw new UnsupportedOperationException("skeleton");
    }
}
