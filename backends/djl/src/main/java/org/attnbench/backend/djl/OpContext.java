package org.attnbench.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.attnbench.core.UserError;
import org.attnbench.graph.Attributes;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.tensor.HostTensor;

/**
 * What an op sees of one node during a run: its attributes, the model's opset, its input
 * arrays (null where an optional input is absent) and the manager new arrays belong to.
 */
final class OpContext {
    final NodeProto node;
    final Attributes attrs;
    final int opset;
    final NDManager manager;
    private final List<NDArray> inputs;
    private final Map<String, HostTensor> constants;
    private final Function<HostTensor, NDArray> resident;

    private final DataType compute;

    OpContext(NodeProto node, int opset, NDManager manager, List<NDArray> inputs, Map<String, HostTensor> constants,
              Function<HostTensor, NDArray> resident, DataType compute) {
        this.node = node;
        this.attrs = new Attributes(node);
        this.opset = opset;
        this.manager = manager;
        this.inputs = inputs;
        this.constants = constants;
        this.resident = resident;
        this.compute = compute;
    }

    /** fp32 as the graph spells it becomes the compute dtype (fp16 when compiled so). */
    DataType computeType(DataType t) {
        return t == DataType.FLOAT32 ? compute : t;
    }

    /** A constant the op derives from shapes (e.g. Resize's indices): copied to the device once, then reused. */
    NDArray constant(HostTensor value) {
        return resident.apply(value);
    }

    int inputCount() {
        return inputs.size();
    }

    boolean has(int i) {
        return i < inputs.size() && inputs.get(i) != null;
    }

    NDArray in(int i) {
        if (!has(i)) throw new UserError("node '" + node.getName() + "' (" + node.getOpType() + ") lacks input " + i);
        return inputs.get(i);
    }

    /**
     * The values of a small integer input (a shape, axes, k...). Compile-time constants are
     * read from the host copy; a computed one is read back from the device, which is the
     * only host read inside a run and only for these few-element tensors.
     */
    long[] longs(int i) {
        HostTensor known = constants.get(node.getInput(i));
        if (known != null) return known.toLongs();
        NDArray a = in(i);
        return a.getDataType() == DataType.INT64 ? a.toLongArray() : a.toType(DataType.INT64, false).toLongArray();
    }

    double[] doubles(int i) {
        HostTensor known = constants.get(node.getInput(i));
        if (known != null) return known.toDoubles();
        return in(i).toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** Rank of input i. */
    int rank(int i) {
        return in(i).getShape().dimension();
    }

    static NDList of(NDArray... outs) {
        return new NDList(outs);
    }
}
