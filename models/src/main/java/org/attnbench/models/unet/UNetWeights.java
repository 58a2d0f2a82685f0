package org.attnbench.models.unet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.attnbench.core.UserError;
import org.attnbench.graph.GraphBuilder;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.Value;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * The builder's access to weights: every request names a diffusers weight and the shape the
 * architecture needs, and is recorded, so the list of expected (name, shape) pairs is the model's
 * parameter list (helper constants such as reshape shapes never pass through here). Stored
 * tensors are checked against the shape and converted to float32; missing ones are collected and
 * reported together by {@link #finish}.
 *
 * <p>A shape-only build ({@code source == null}) hands out zero views of one shared buffer, so
 * listing SDXL's 2.6 billion parameters costs no more memory than its largest tensor.
 */
public final class UNetWeights {
    private static final int MISSING_SHOWN = 5;
    private final GraphBuilder g;
    private final WeightSource source;
    private final Map<String, long[]> expected = new LinkedHashMap<>();
    private final List<String> missing = new ArrayList<>();
    /** Saved buffers the model knows (read or not): not parameters, not reported as unused. */
    private final Set<String> buffers = new TreeSet<>();
    private ByteBuffer zeros = ByteBuffer.allocateDirect(0);

    public UNetWeights(GraphBuilder g, WeightSource source) {
        this.g = g;
        this.source = source;
    }

    /** The weight {@code name} of {@code shape} as a graph value, added once. */
    public Value get(String name, long... shape) {
        if (g.hasValue(name)) return g.value(name);
        expected.put(name, shape);
        HostTensor t = source == null ? null : source.tensor(name, shape).orElse(null);
        if (t == null) {
            if (source != null) missing.add(name);
            return g.initializer(name, placeholder(shape));
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new UserError("weight '" + name + "' has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape) + " (" + source.describe() + ")");
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new UserError("weight '" + name + "' is " + t.dtype() + ", expected a float type");
        }
        return g.initializer(name, t.toDType(DType.FLOAT32));
    }

    /**
     * A buffer a checkpoint may save beside the parameters (SD3's position table): the stored
     * tensor if the source holds one of {@code shape} (another shape is a UserError), else empty,
     * and the model computes it. Never made up by a random source, never counted as a parameter,
     * never reported as unused.
     */
    public Optional<HostTensor> buffer(String name, long... shape) {
        buffers.add(name);
        if (source == null || !source.names().contains(name)) return Optional.empty();
        HostTensor t = source.tensor(name).orElseThrow();
        if (!Arrays.equals(t.shape(), shape) || !t.dtype().isFloatingPoint()) {
            throw new UserError("buffer '" + name + "' is " + t.dtype() + " " + Arrays.toString(t.shape()) + ", expected floats "
                    + Arrays.toString(shape) + " (" + source.describe() + ")");
        }
        return Optional.of(t);
    }

    /** Weights asked for so far, in the order the builder asked. */
    public Map<String, long[]> expected() {
        return expected;
    }

    /**
     * The graph as a model once every weight is read: a UserError on missing weights, one warning
     * line on stderr for stored tensors the model does not use. Weights stay in memory, so graphs
     * of the same weights share them.
     */
    public OnnxModel model() {
        String warning = finish();
        if (warning != null) System.err.println(warning);
        return g.build(false);
    }

    /**
     * A part of the model as a graph (a form that runs some of its layers): a UserError on missing
     * weights, and no word on the stored tensors this part does not read.
     */
    public OnnxModel part() {
        finish();
        return g.build(false);
    }

    /** Fails on missing weights; returns a warning line for stored tensors the model does not use, or null. */
    public String finish() {
        if (!missing.isEmpty()) {
            throw new UserError(source.describe() + " lacks " + missing.size() + " of the model's " + expected.size()
                    + " weights, e.g. " + String.join(", ", missing.subList(0, Math.min(MISSING_SHOWN, missing.size()))));
        }
        Set<String> unexpected = new TreeSet<>(source == null ? Set.of() : source.names());
        unexpected.removeAll(expected.keySet());
        unexpected.removeAll(buffers);
        if (unexpected.isEmpty()) return null;
        return "warning: " + source.describe() + " has " + unexpected.size() + " tensors the model does not use, e.g. "
                + String.join(", ", unexpected.stream().limit(MISSING_SHOWN).toList());
    }

    private HostTensor placeholder(long[] shape) {
        int bytes = Math.toIntExact(HostTensor.numel(shape) * Float.BYTES);
        if (zeros.capacity() < bytes) zeros = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new HostTensor(DType.FLOAT32, shape, zeros.slice(0, bytes));
    }
}
