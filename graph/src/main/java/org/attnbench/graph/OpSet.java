package org.attnbench.graph;

import java.util.Optional;
import java.util.Set;
import org.attnbench.graph.onnx.Onnx.ModelProto;
import org.attnbench.graph.onnx.Onnx.NodeProto;

/** The ONNX subset attnbench builds and reads: opset 17 plus ONNX Runtime's MultiHeadAttention. */
public final class OpSet {
    private OpSet() {}

    /** Supported op types: default-domain ops by name, others as "domain::Op". */
    public static Set<String> supported() {
        return OpShapes.supported();
    }

    /** The first node of the model's main graph whose op lies outside the subset, as a message. */
    public static Optional<String> firstUnsupported(ModelProto model) {
        for (NodeProto n : model.getGraph().getNodeList()) {
            String domain = n.getDomain().equals("ai.onnx") ? "" : n.getDomain(); // two spellings of the default domain
            if (!OpShapes.supports(domain, n.getOpType())) {
                String op = n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + "." + n.getOpType();
                return Optional.of("op " + op + " is outside the supported subset");
            }
        }
        return Optional.empty();
    }
}
