package org.attnbench.backend.djl;

import java.util.Optional;
import org.attnbench.graph.Attributes;

/** Why a node uses an attribute value an {@link Op} does not implement; empty when it is fine. */
@FunctionalInterface
interface OpCheck {
    OpCheck NONE = (a, opset, outputs) -> Optional.empty();

    Optional<String> check(Attributes attrs, int opset, int outputCount);
}
