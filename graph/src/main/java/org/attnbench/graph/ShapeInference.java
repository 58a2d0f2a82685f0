package org.attnbench.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.attnbench.tensor.HostTensor;

/**
 * Static dtype and shape of an op's outputs, computed when the node is added to a graph.
 * Every supported op (see {@link OpSet}) has a rule in {@link OpShapes}; a wrong shape or a missing
 * constant fails at build time with a message naming the node.
 */
public interface ShapeInference {
    /**
     * @param inputs the node's inputs (an absent optional input is null)
     * @param attrs the node's attributes (see {@link GraphBuilder#op})
     * @param constants values of inputs known at build time (initializers), by input name
     */
    List<OutputType> infer(List<Value> inputs, Map<String, Object> attrs, Constants constants);

    /** As above, knowing how many outputs the node declares (Split's equal parts depend on it). */
    default List<OutputType> infer(List<Value> inputs, Map<String, Object> attrs, Constants constants,
                                   int outputCount) {
        return infer(inputs, attrs, constants);
    }

    /** The dtype and shape of one output. */
    record OutputType(org.attnbench.tensor.DType dtype, long[] shape) {}

    /** Build-time values of graph values, for ops whose output shape depends on an input's value. */
    interface Constants {
        Optional<HostTensor> valueOf(Value v);
    }
}
