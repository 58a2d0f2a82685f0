package org.attnbench.text.encoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.models.unet.UNetWeights;
import org.attnbench.models.unet.WeightSource;
import org.attnbench.tensor.HostTensor;

/** The weights a CLIPModel's two towers read, checked against a checkpoint before anything is built. */
public final class ClipModelWeights {
    /** The learned temperature of CLIP's contrastive loss: stored, never read by either tower. */
    static final String LOGIT_SCALE = "logit_scale";
    private static final int SHOWN = 5;

    private ClipModelWeights() {}

    /** Every weight of both towers, by transformers name, with its shape. */
    public static Map<String, long[]> expected(ClipModelConfig c) {
        Map<String, long[]> all = new LinkedHashMap<>(EncoderWeights.expected(c.text()));
        GraphBuilder g = new GraphBuilder("shapes");
        UNetWeights weights = new UNetWeights(g, null);
        ClipVisionGraph.layers(c, g, weights, 1);
        all.putAll(weights.expected());
        return all;
    }

    /**
     * A missing weight, one of another shape or one not floating point is a UserError naming it;
     * returns a warning line for stored tensors neither tower reads (logit_scale aside), or null.
     */
    public static String check(ClipModelConfig c, WeightSource source) {
        Map<String, long[]> expected = expected(c);
        List<String> missing = new ArrayList<>();
        expected.forEach((name, shape) -> {
            Optional<HostTensor> t = source.tensor(name);
            if (t.isEmpty()) {
                missing.add(name);
            } else if (!Arrays.equals(t.get().shape(), shape)) {
                throw new UserError("weight '" + name + "' has shape " + Arrays.toString(t.get().shape()) + ", expected "
                        + Arrays.toString(shape) + " for " + c.name() + " (" + source.describe() + ")");
            } else if (!t.get().dtype().isFloatingPoint()) {
                throw new UserError("weight '" + name + "' is " + t.get().dtype() + ", expected a float type (" + source.describe() + ")");
            }
        });
        if (!missing.isEmpty()) {
            throw new UserError(source.describe() + " lacks " + missing.size() + " of the " + expected.size()
                    + " weights of CLIPModel " + c.name() + ", e.g. " + String.join(", ", missing.subList(0, Math.min(SHOWN, missing.size()))));
        }
        List<String> unused = source.names().stream().filter(n -> !expected.containsKey(n) && !n.equals(LOGIT_SCALE)).sorted().toList();
        if (unused.isEmpty()) return null;
        return "warning: " + source.describe() + " has " + unused.size() + " tensors CLIPModel does not use, e.g. "
                + String.join(", ", unused.subList(0, Math.min(SHOWN, unused.size())));
    }
}
