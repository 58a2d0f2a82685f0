package org.attnbench.backend;

import java.util.Optional;
import java.util.Set;
import org.attnbench.graph.OnnxModel;
import org.attnbench.graph.OpShapes;
import org.attnbench.graph.onnx.Onnx.NodeProto;

/**
 * The project's op subset: what the graph builder can build. Every backend refuses graphs
 * outside it, so a workload that runs on one backend is known to be runnable on the others.
 * The listed names cover ops whose shape rules the graph module does not have yet.
 */
public final class SupportedOps {
    private static final Set<String> ONNX_OPS = Set.of(
            "MatMul", "Gemm", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Erf", "Sigmoid", "Tanh",
            "Sin", "Cos", "Neg", "Abs", "Relu", "Reciprocal", "Log", "Softmax", "Reshape", "Transpose",
            "Concat", "Split", "Slice", "Gather", "GatherElements", "ScatterElements", "TopK", "ArgMax",
            "ReduceMax", "ReduceMean", "ReduceSum", "Conv", "LayerNormalization", "InstanceNormalization",
            "Resize", "AveragePool", "MaxPool", "Cast", "Expand", "Where", "Equal", "Unsqueeze", "Squeeze",
            "Identity", "Constant", "Shape");
    private static final String MS_DOMAIN = "com.microsoft";
    private static final Set<String> MS_OPS = Set.of("MultiHeadAttention");

    private SupportedOps() {}

    public static boolean supports(String domain, String opType) {
        String d = domain.equals("ai.onnx") ? "" : domain;
        if (OpShapes.supports(d, opType)) return true;
        return d.isEmpty() ? ONNX_OPS.contains(opType) : d.equals(MS_DOMAIN) && MS_OPS.contains(opType);
    }

    /** Why the model is outside the subset (the first offending op), or empty when it is inside. */
    public static Optional<String> firstUnsupported(OnnxModel model) {
        for (NodeProto node : model.proto().getGraph().getNodeList()) {
            if (!supports(node.getDomain(), node.getOpType())) {
                String qualified = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx")
                        ? node.getOpType() : node.getDomain() + "." + node.getOpType();
                return Optional.of("op " + qualified + " is outside the supported subset");
            }
        }
        return Optional.empty();
    }
}
