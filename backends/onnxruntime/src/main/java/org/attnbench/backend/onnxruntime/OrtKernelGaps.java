package org.attnbench.backend.onnxruntime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.attnbench.graph.onnx.Onnx.GraphProto;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;
import org.attnbench.graph.onnx.Onnx.TensorProto;
import org.attnbench.graph.onnx.Onnx.ValueInfoProto;

/**
 * Ops of the supported subset that ONNX Runtime's CPU provider has no kernel for at some
 * element types, so a model using them is refused up front instead of failing at load.
 */
final class OrtKernelGaps {
    /** Min and Max (opset 13) are registered for 32/64-bit types and fp16 only. */
    private static final Set<String> MIN_MAX = Set.of("Min", "Max");
    private static final Set<Integer> NARROW_INTS = Set.of(
            TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
            TensorProto.DataType.INT16_VALUE, TensorProto.DataType.UINT16_VALUE);

    private OrtKernelGaps() {}

    static Optional<String> firstGap(ModelProto model) {
        Map<String, Integer> types = elementTypes(model.getGraph());
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (MIN_MAX.contains(n.getOpType()) && n.getInputCount() > 0) {
                Integer type = types.get(n.getInput(0));
                if (type != null && NARROW_INTS.contains(type)) {
                    return Optional.of("op " + n.getOpType() + " on " + TensorProto.DataType.forNumber(type)
                            + " has no ONNX Runtime CPU kernel");
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, Integer> elementTypes(GraphProto g) {
        Map<String, Integer> types = new HashMap<>();
        for (List<ValueInfoProto> list : List.of(g.getInputList(), g.getValueInfoList(), g.getOutputList())) {
            for (ValueInfoProto v : list) {
                if (v.getType().hasTensorType()) types.put(v.getName(), v.getType().getTensorType().getElemType());
            }
        }
        for (TensorProto t : g.getInitializerList()) types.put(t.getName(), t.getDataType());
        return types;
    }
}
