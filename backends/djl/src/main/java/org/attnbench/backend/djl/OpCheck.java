package org.attnbench.backend.djl;

import java.util.Optional;
import org.attnbench.graph.Attributes;
import org.attnbench.graph.onnx.Onnx.NodeProto;

/** Why a node uses an attribute value or input an {@link Op} does not implement; empty when it is fine. */
@FunctionalInterface
interface OpCheck {
    OpCheck NONE = (a, opset, node) -> Optional.empty();

    Optional<String> check(Attributes attrs, int opset, NodeProto node);
}
